import type { IncomingMessage } from 'node:http';

/** The path of a URL, without its query. */
export function urlPath(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * The whole path of a request, without its query, as the client sent it: Express shortens `url`
 * below a mount point, `originalUrl` keeps the whole path.
 */
export function requestPath(request: IncomingMessage): string {
  return urlPath((request as { originalUrl?: string }).originalUrl ?? request.url);
}
