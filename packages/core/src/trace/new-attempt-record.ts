import type { ModelTarget } from '../routing/target.js';
import type { AttemptTrace } from './routing-trace.js';

/** The trace record of an attempt about to start, at position `index` of its request. */
export function newAttemptRecord(input: {
  index: number;
  target: Pick<ModelTarget, 'name' | 'provider' | 'model'>;
  retry: number;
  /** The round of the request's chain, from 1. */
  round: number;
  /** Attempts the request may still start after this one. */
  attemptsLeft: number;
  /** The worst case reserved before the call, when one was. */
  worstCaseUsd: string | undefined;
}): AttemptTrace {
  const { target } = input;
  return {
    index: input.index,
    target: target.name,
    provider: target.provider,
    model: target.model,
    returnedModel: undefined,
    outcome: 'pending',
    status: undefined,
    message: undefined,
    retry: input.retry,
    round: input.round,
    attemptsLeft: input.attemptsLeft,
    latencyMs: 0,
    firstChunkMs: undefined,
    usage: undefined,
    costUsd: '0',
    tokenCostUsd: '0',
    feeUsd: '0',
    reportedCostUsd: undefined,
    costMismatch: false,
    worstCaseUsd: input.worstCaseUsd,
    costEstimated: false,
    costBasis: 'none',
    sentModelCostUsd: undefined,
    hedgeLoser: false,
    generationId: undefined,
    upstreamProvider: undefined,
  };
}
