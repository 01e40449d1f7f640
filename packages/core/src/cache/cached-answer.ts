import type { ServedTarget } from '../trace/routing-trace.js';
import type { ChatResponse } from '../types/chat.js';

/** Bumped when the stored shape changes; an entry of another version is a miss. */
const ENTRY_VERSION = 1;

/** What the cache keeps of one answer: the answer, who served it and what it cost. */
export interface CachedAnswer {
  readonly v: typeof ENTRY_VERSION;
  /** The answer as the upstream sent it (its `usage` and `usage.cost` included). */
  readonly response: ChatResponse;
  /** The target that served it, for the trace and the ledger of every hit. */
  readonly served: ServedTarget;
  /** What the serving attempt cost, fee included (exact USD): what each hit saves. */
  readonly costUsd: string;
  /** Epoch ms when it was stored. */
  readonly storedAt: number;
}

/** The stored text of an answer. */
export function serializeCachedAnswer(answer: Omit<CachedAnswer, 'v'>): string {
  return JSON.stringify({ v: ENTRY_VERSION, ...answer });
}

/** An answer read back from a store; undefined for text that is not one (another version, corrupt). */
export function parseCachedAnswer(text: string): CachedAnswer | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<CachedAnswer> | null;
    if (
      parsed === null ||
      parsed.v !== ENTRY_VERSION ||
      typeof parsed.costUsd !== 'string' ||
      typeof parsed.served?.target !== 'string' ||
      !Array.isArray(parsed.response?.choices)
    )
      return undefined;
    return parsed as CachedAnswer;
  } catch {
    return undefined;
  }
}
