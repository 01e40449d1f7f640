/** The headers of an upstream answer, lower-cased names. */
export type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long the upstream asked us to wait, in ms: `Retry-After` (seconds or an HTTP date), else
 * OpenRouter's `X-RateLimit-Reset` (epoch ms) from the headers or from the error's
 * `metadata.headers`. Undefined when it said nothing usable.
 */
export function retryAfterMs(options: {
  headers: HeaderBag;
  metadata?: Record<string, unknown> | undefined;
  now: number;
}): number | undefined {
  const retryAfter = header(options.headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - options.now);
  }
  const metadataHeaders = options.metadata?.headers;
  const reset =
    header(options.headers, 'x-ratelimit-reset') ??
    (typeof metadataHeaders === 'object' && metadataHeaders !== null
      ? (metadataHeaders as Record<string, unknown>)['X-RateLimit-Reset']
      : undefined);
  const resetAt = Number(reset);
  if (reset !== undefined && Number.isFinite(resetAt)) {
    // Epoch milliseconds per OpenRouter; tolerate epoch seconds from other gateways.
    const epochMs = resetAt < 1e12 ? resetAt * 1000 : resetAt;
    return Math.max(0, epochMs - options.now);
  }
  return undefined;
}
