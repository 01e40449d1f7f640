import type { IncomingHttpHeaders } from 'node:http';

/**
 * Copies request headers for the log, joining repeated values with `, ` and hiding credentials:
 * `authorization` becomes `Bearer [redacted]` (or `[redacted]` for other schemes) and `x-api-key`
 * `[redacted]`.
 */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization') result[name] = /^bearer\s/i.test(text) ? 'Bearer [redacted]' : '[redacted]';
    else if (name === 'x-api-key') result[name] = '[redacted]';
    else result[name] = text;
  }
  return result;
}
