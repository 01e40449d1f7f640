import type { AttemptError } from '../errors/attempt-error.js';
import type { OutcomeCode } from '../errors/outcome-codes.js';
import { RoutingError } from '../errors/routing-error.js';
import { StoreUnavailableError } from '../errors/store-unavailable-error.js';
import type { SkipReason } from '../routing/skip-reason.js';
import type { BudgetDenial } from '../spend/budget-guard.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import { Interruption } from './interruption.js';
import type { FailedAttempt } from './request-execution.js';

/** The outcome code a request fails with when every target was skipped for a reason. */
export const SKIP_OUTCOMES: Readonly<Record<SkipReason, OutcomeCode>> = {
  context_window: 'context_length',
  max_completion_tokens: 'invalid_request',
  breaker_open: 'upstream_unavailable',
  over_ceiling: 'cost_ceiling',
  cost_unknown: 'unpriced_model',
  budget: 'budget_exceeded',
  rate_limit: 'rate_limited',
  retry_after: 'rate_limited',
  retry_budget: 'all_targets_failed',
  'capability:tools': 'not_supported',
  'capability:vision': 'not_supported',
  'capability:structured_outputs': 'not_supported',
  'capability:response_format': 'not_supported',
  chat_only: 'invalid_request',
  embedding_only: 'invalid_request',
  // As OpenRouter answers a data policy no endpoint meets: 404, no endpoint found.
  'policy:data_collection': 'not_supported',
  'policy:zdr': 'not_supported',
  'policy:only': 'not_supported',
  'policy:ignore': 'not_supported',
  unknown_model: 'no_route',
};

/** The message of a route or alias whose every target serves the other operation, by skip reason. */
const WRONG_TYPE: Partial<Record<SkipReason, string>> = {
  chat_only: 'serves no embeddings: its targets are chat models',
  embedding_only: 'serves no chat completions: its targets are embedding models',
};

/** Skips that say nothing about why the targets that were known did not serve. */
const UNTELLING: ReadonlySet<SkipReason> = new Set<SkipReason>([
  'chat_only',
  'embedding_only',
  'unknown_model',
]);

/** What ended a request that was not served. */
export type RequestEnding =
  /** Every target was passed over, or the last one failed with `error`. */
  | { kind: 'not_served'; error?: AttemptError }
  /**
   * Something was thrown: an interruption (caller, deadline), the store, an already-built error, or
   * an unexpected error (then the attempts' failures, if any, make the message).
   */
  | { kind: 'thrown'; error: unknown };

/** Everything {@link routingFailure} reads. */
export interface RoutingFailureInput {
  readonly trace: RoutingTrace;
  readonly ending: RequestEnding;
  /** The attempts that failed with a classified outcome. */
  readonly failures: readonly FailedAttempt[];
  /** The first budget that refused an attempt. */
  readonly budgetDenial: BudgetDenial | undefined;
  /** The request's total deadline in ms, for the message. */
  readonly deadlineMs: number;
  /** The prompt's token count, for a context-window message. */
  readonly promptTokens: () => number;
}

/**
 * The one {@link RoutingError} a caller sees when a request was not served, built from how it
 * ended and the typed outcomes of its attempts and skips: one failure keeps its own code and
 * message; several name each attempt; a request whose every target was skipped fails with the
 * code of the first skip's reason and lists every skip.
 */
export function routingFailure(input: RoutingFailureInput): RoutingError {
  const { trace, ending } = input;
  if (ending.kind === 'thrown') {
    const known = fromThrown(input, ending.error);
    if (known !== undefined) return known;
  } else if (ending.error === undefined && trace.attempts.length === 0) return allSkipped(input);
  const failed = [...input.failures].sort((a, b) => a.index - b.index);
  const lastError = ending.kind === 'not_served' ? ending.error : undefined;
  const cause = ending.kind === 'thrown' ? ending.error : lastError;
  if (failed.length <= 1 && lastError !== undefined) {
    return new RoutingError({
      code: lastError.code,
      message: lastError.message,
      trace,
      lastError,
      ...(lastError.retryAfterMs === undefined ? {} : { retryAfterMs: lastError.retryAfterMs }),
      cause,
    });
  }
  const codes = new Set(failed.map((failure) => failure.error.code));
  const code: OutcomeCode = codes.size === 1 ? ([...codes][0] as OutcomeCode) : 'all_targets_failed';
  const lines = failed.map(
    (failure) =>
      `${failure.target}: ${failure.error.code}${failure.status === undefined ? '' : ` (HTTP ${failure.status})`}`,
  );
  const retryAfterMs = code === 'rate_limited' ? lastError?.retryAfterMs : undefined;
  return new RoutingError({
    code,
    message: `all ${failed.length} attempts failed: ${lines.join('; ')}`,
    trace,
    ...(lastError === undefined ? {} : { lastError }),
    ...(cause === undefined ? {} : { cause }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** The error for an interruption, a store outage or an already-built error; undefined for anything else. */
function fromThrown(input: RoutingFailureInput, error: unknown): RoutingError | undefined {
  const { trace } = input;
  if (RoutingError.isInstance(error)) return error;
  if (StoreUnavailableError.isInstance(error)) {
    return new RoutingError({
      code: 'store_unavailable',
      message: error.message,
      trace,
      retryAfterMs: error.retryAfterMs ?? 1000,
      cause: error,
    });
  }
  if (Interruption.isInstance(error)) {
    return error.kind === 'deadline'
      ? new RoutingError({
          code: 'deadline_exceeded',
          message: `no answer within the deadline of ${Math.round(input.deadlineMs)} ms`,
          trace,
        })
      : new RoutingError({
          code: 'aborted',
          message: 'the request was aborted by the caller',
          trace,
          ...(error.cause === undefined ? {} : { cause: error.cause }),
        });
  }
  return undefined;
}

function allSkipped(input: RoutingFailureInput): RoutingError {
  const { trace } = input;
  const reasons = trace.skipped
    .map((skipped) => `${skipped.target}: ${skipped.detail ?? skipped.reason}`)
    .join('; ');
  // A target of the other operation says nothing about why the request failed; the first other skip does.
  const telling = trace.skipped.find((skipped) => !UNTELLING.has(skipped.reason));
  const wrongType = trace.skipped.map((skipped) => WRONG_TYPE[skipped.reason]).find(Boolean);
  if (telling === undefined && wrongType !== undefined) {
    // Every target serves the other operation: the caller named the wrong route or alias.
    return new RoutingError({
      code: 'invalid_request',
      message: `"${trace.requestedModel}" ${wrongType} (${reasons})`,
      trace,
    });
  }
  const first = telling?.reason;
  const code = first === undefined ? 'no_route' : SKIP_OUTCOMES[first];
  const detail = code === 'context_length' ? ` (the prompt is about ${input.promptTokens()} tokens)` : '';
  const waits = trace.skipped.flatMap((skipped) =>
    skipped.retryAfterMs === undefined ? [] : [skipped.retryAfterMs],
  );
  return new RoutingError({
    code,
    message: `no target can serve this request${detail}: ${reasons || 'no targets'}`,
    trace,
    ...(waits.length > 0 && (code === 'rate_limited' || code === 'budget_exceeded')
      ? { retryAfterMs: Math.min(...waits) }
      : {}),
    ...(input.budgetDenial === undefined ? {} : { budget: input.budgetDenial }),
  });
}
