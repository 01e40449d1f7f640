import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { AnswerCache } from './answer-cache.js';

/** Bytes counted per entry on top of its key and value: the LRU's node and the expiry. */
const ENTRY_OVERHEAD_BYTES = 64;

interface StoredAnswer {
  readonly value: string;
  /** Epoch ms (on the injected clock) when the answer stops being served. */
  readonly expiresAt: number;
}

/** An {@link AnswerCache} in memory, with what it holds. */
export interface MemoryAnswerCache extends AnswerCache {
  readonly kind: 'memory';
  /** Bytes held: every entry's key and value (UTF-8) plus a fixed overhead; never above `maxBytes`. */
  readonly bytes: number;
  /** Answers held (expired ones included until they are read or evicted). */
  readonly entries: number;
  readonly maxBytes: number;
}

/**
 * The default answer cache: an LRU bounded by bytes (`lru-cache` with `maxSize` and a size per
 * entry), so a burst of distinct answers evicts the least recently used instead of growing the
 * heap. Expiry is read from the injected clock when an entry is read (no timer per entry), so a
 * fake clock drives it in tests.
 * @example const cache = createMemoryAnswerCache({ maxBytes: 64 * 1024 * 1024 });
 */
export function createMemoryAnswerCache(options: {
  /** The bound of the whole cache in bytes. */
  maxBytes: number;
  /** The largest entry kept. @default maxBytes */
  maxEntryBytes?: number;
  /** @default Date.now */
  clock?: Pick<Clock, 'now'>;
}): MemoryAnswerCache {
  const now = options.clock?.now ?? Date.now;
  const lru = new LRUCache<string, StoredAnswer>({
    maxSize: options.maxBytes,
    maxEntrySize: Math.min(options.maxEntryBytes ?? options.maxBytes, options.maxBytes),
    sizeCalculation: (stored, key) => Buffer.byteLength(stored.value) + key.length + ENTRY_OVERHEAD_BYTES,
  });
  return {
    kind: 'memory',
    maxBytes: options.maxBytes,
    get bytes() {
      return lru.calculatedSize;
    },
    get entries() {
      return lru.size;
    },
    get(key) {
      const stored = lru.get(key);
      if (stored === undefined) return undefined;
      if (now() >= stored.expiresAt) {
        lru.delete(key);
        return undefined;
      }
      return stored.value;
    },
    set(key, value, ttlMs) {
      lru.set(key, { value, expiresAt: now() + ttlMs });
    },
  };
}
