import type { RoutingTrace, ServedTarget } from '../trace/routing-trace.js';
import type { LedgerEntry } from './spend-ledger.js';

/**
 * The ledger entry of a request served from the answer cache: who called and which target's
 * answer it got, outcome `cache_hit`, no tokens and no cost (nothing was sent upstream), and in
 * `savedUsd` what that answer had cost, so that savings add up per key, route and model.
 */
export function cacheHitLedgerEntry(input: {
  trace: RoutingTrace;
  served: ServedTarget;
  /** What the cached answer cost when it was made. */
  savedUsd: string;
  /** Epoch ms of the hit. */
  time: number;
}): LedgerEntry {
  const { trace, served } = input;
  const { caller } = trace;
  return {
    time: new Date(input.time).toISOString(),
    requestId: trace.id,
    attempt: 0,
    key: caller.key,
    user: caller.user,
    tags: caller.tags,
    route: trace.route,
    target: served.target,
    provider: served.provider,
    model: served.model,
    servedModel: served.returnedModel,
    outcome: 'cache_hit',
    promptTokens: 0,
    completionTokens: 0,
    tokenCostUsd: '0',
    feeUsd: '0',
    costUsd: '0',
    reportedCostUsd: undefined,
    costMismatch: false,
    estimated: false,
    costBasis: 'none',
    savedUsd: input.savedUsd,
  };
}
