/**
 * The name of every key and channel the store uses, in one place, hash-tagged for Redis Cluster.
 *
 * A Lua script may only touch keys of one slot, and Cluster puts a key in the slot of its hash tag
 * (the part between the first `{` and the next `}`) when it has one. So:
 *
 * - `{<prefix>}:budget:<bucket>`, `{<prefix>}:ledger` (and its trim count, `…:ledger:trimmed`,
 *   counted in the trimming script) share one tag: a reservation is all or
 *   nothing across every budget of a request (global, key, user, ...) in one script, and a
 *   settlement and its ledger entry are one script. Per-budget tags would spread budgets over the
 *   primaries but lose that atomicity; and the hottest keys (the global budget's window, the one
 *   ledger stream) are single keys that no tagging can spread anyway.
 * - `{<prefix>:health}:...` (breakers, failure counts, latency) is a second tag: its scripts touch
 *   the breakers hash and one target's failures together, and it need not sit with the money.
 * - Rate-limit counters (`<prefix>:<limit>:<subject>`) and cached answers (`<prefix>:cache:<hash>`)
 *   carry no tag: each is one key in one command or script, so they spread over every primary, and
 *   they are most of the keys.
 *
 * Several fleets (prefixes) land on different slots. Without Cluster the tags are plain characters.
 */
export interface StoreKeys {
  /** The hash of one budget window. */
  budget(bucketId: string): string;
  /** The spend ledger stream. */
  readonly ledger: string;
  /** Open breakers: target key -> openedAt (ms, Redis's clock). */
  readonly breakers: string;
  /** One target's recent failures (a sorted set). */
  breakerFailures(target: string): string;
  /** The fleet's latency estimates: target key -> `value|weight|atMs`. */
  readonly latency: string;
  /** The pub/sub channel of breaker changes (channels have no slot: no tag). */
  readonly healthChannel: string;
  /** The prefix rate-limiter-flexible puts before its own keys. */
  limiter(keyPrefix: string): string;
  /** One cached answer, by the router's hash of the request and its scope. */
  cache(hash: string): string;
}

/** The keys of a store whose prefix is `prefix` (which must not contain `{` or `}`). */
export function storeKeys(prefix: string): StoreKeys {
  if (/[{}]/.test(prefix)) {
    throw new TypeError(
      `keyPrefix must not contain "{" or "}": the store adds its own Redis Cluster hash tags`,
    );
  }
  const money = `{${prefix}}`;
  const health = `{${prefix}:health}`;
  return {
    budget: (bucketId) => `${money}:budget:${bucketId}`,
    ledger: `${money}:ledger`,
    breakers: `${health}:breakers`,
    breakerFailures: (target) => `${health}:breaker-failures:${target}`,
    latency: `${health}:latency`,
    healthChannel: `${prefix}:health`,
    limiter: (keyPrefix) => `${prefix}:${keyPrefix}`,
    cache: (hash) => `${prefix}:cache:${hash}`,
  };
}
