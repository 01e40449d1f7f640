import type { ServerResponse } from 'node:http';

/**
 * Writes a JSON answer with one `writeHead` and a flat header list (`[name, value, ...]`): no
 * header object to build, spread and walk again on every request.
 */
export function sendJson(
  response: ServerResponse,
  options: { status: number; json: string; headers: readonly string[] },
): void {
  response.writeHead(options.status, [
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    String(Buffer.byteLength(options.json)),
    ...options.headers,
  ]);
  response.end(options.json);
}

/** A header object as the flat list {@link sendJson} takes. */
export function headerList(headers: Record<string, string>): string[] {
  const list: string[] = [];
  for (const name of Object.keys(headers)) list.push(name, headers[name] as string);
  return list;
}
