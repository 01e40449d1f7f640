/**
 * Port: where cached answers live, by key. The router builds the key (a hash: never a secret in
 * clear) and the value (the answer's JSON, within `maxEntryBytes`); a store only keeps strings for
 * a while. The default is an LRU in this process's memory (`createMemoryAnswerCache`);
 * `@switchyard/redis` shares one cache with the whole fleet. A cache that cannot answer reports a
 * miss (the request goes upstream, as if nothing were cached) and never fails a request.
 */
export interface AnswerCache {
  /** `memory`, `redis`, ...: for logs. */
  readonly kind: string;
  /** The value stored under `key`, or undefined when there is none (or it expired). */
  get(key: string): string | undefined | Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs`; a value the store will not hold is dropped. */
  set(key: string, value: string, ttlMs: number): void | Promise<void>;
}
