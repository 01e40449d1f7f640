import type { AttemptTrace, RoutingTrace } from '../trace/routing-trace.js';
import type { LedgerEntry } from './spend-ledger.js';

/** The ledger entry of a finished attempt: who called, what ran, what it cost. */
export function attemptLedgerEntry(input: {
  record: AttemptTrace;
  trace: RoutingTrace;
  /** Epoch ms the attempt settled. */
  time: number;
}): LedgerEntry {
  const { record, trace } = input;
  const { caller } = trace;
  return {
    time: new Date(input.time).toISOString(),
    requestId: trace.id,
    attempt: record.index + 1,
    key: caller.key,
    user: caller.user,
    tags: caller.tags,
    route: trace.route,
    target: record.target,
    provider: record.provider,
    model: record.model,
    servedModel: record.returnedModel,
    outcome: record.outcome,
    promptTokens: record.usage?.promptTokens ?? 0,
    completionTokens: record.usage?.completionTokens ?? 0,
    tokenCostUsd: record.tokenCostUsd,
    feeUsd: record.feeUsd,
    costUsd: record.costUsd,
    reportedCostUsd: record.reportedCostUsd,
    costMismatch: record.costMismatch,
    estimated: record.costEstimated,
    costBasis: record.costBasis,
    ...(record.sentModelCostUsd === undefined ? {} : { sentModelCostUsd: record.sentModelCostUsd }),
    latencyMs: record.latencyMs,
    operation: trace.operation,
    ...(trace.door === undefined ? {} : { door: trace.door }),
    ...(record.upstreamProvider === undefined ? {} : { upstreamProvider: record.upstreamProvider }),
    ...(record.policy === undefined ? {} : { policy: record.policy }),
  };
}
