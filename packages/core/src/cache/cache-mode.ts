/**
 * What a call asks of the answer cache:
 * - `default`: serve a cached answer when there is one, store a new one;
 * - `refresh`: do not look (the upstream answers), but store the new answer (`Cache-Control: no-cache`);
 * - `bypass`: neither look nor store (`Cache-Control: no-store`).
 */
export type CacheMode = 'default' | 'refresh' | 'bypass';

/**
 * The cache mode a request's `Cache-Control` header asks for: `no-store` bypasses the cache,
 * `no-cache` (or `max-age=0`) refreshes it; anything else, or no header, is the default.
 * @example cacheModeFromHeader('no-cache') // 'refresh'
 */
export function cacheModeFromHeader(header: string | readonly string[] | undefined): CacheMode {
  if (header === undefined) return 'default';
  const directives = (typeof header === 'string' ? header : header.join(','))
    .toLowerCase()
    .split(',')
    .map((directive) => directive.trim());
  if (directives.includes('no-store')) return 'bypass';
  if (directives.includes('no-cache') || directives.includes('max-age=0')) return 'refresh';
  return 'default';
}
