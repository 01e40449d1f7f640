import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHeaders } from '../routing/conditions/compile-condition.js';

/**
 * The headers of a request that `conditional` rules read (`names`, from `router.headerNames`):
 * a bounded copy, never the credentials (no rule may name them), or undefined when no rule reads
 * a header, so that a gateway without such rules copies nothing.
 */
export function ruleHeaders(
  headers: IncomingHttpHeaders | undefined,
  names: readonly string[] | undefined,
): RequestHeaders | undefined {
  if (headers === undefined || names === undefined || names.length === 0) return undefined;
  const picked: Record<string, string | string[] | undefined> = {};
  for (const name of names) picked[name] = headers[name];
  return picked;
}
