import type { Context } from '@opentelemetry/api';
import type { AttemptError } from '../errors/attempt-error.js';
import type { ProviderPolicy } from '../policy/provider-policy.js';
import { formatUsd, type Picodollars } from '../pricing/money.js';
import type { RequestHeaders } from '../routing/conditions/compile-condition.js';
import type { Operation } from '../routing/operation.js';
import type { RequestProfile } from '../routing/request-profile.js';
import type { BudgetDenial } from '../spend/budget-guard.js';
import type { CallSpending } from '../spend/spend-policy.js';
import type { Caller } from '../spend/spend-scope.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import type { ChatRequest } from '../types/chat.js';
import type { EmbeddingRequest } from '../types/embeddings.js';
import type { AnswerValidator } from '../validators/answer-validator.js';
import type { AttemptBody } from './attempt-body.js';
import type { RetryBudget } from './retry-budget.js';
import type { RouterSettings } from './router-settings.js';

/** An attempt that failed with a classified outcome: what the final error is built from. */
export interface FailedAttempt {
  /** Position of the attempt in the request (its trace index). */
  readonly index: number;
  readonly target: string;
  /** HTTP status of the upstream's answer, when it answered. */
  readonly status: number | undefined;
  readonly error: AttemptError;
}

/** The state of one request while the router works on it. */
export interface Execution {
  readonly settings: RouterSettings;
  /** A chat completion or embeddings: which endpoint, and how the answer is read. */
  readonly operation: Operation;
  /** The caller's request: a {@link ChatRequest} for `chat`, an {@link EmbeddingRequest} for `embeddings`. */
  readonly request: ChatRequest | EmbeddingRequest;
  readonly profile: RequestProfile;
  readonly stream: boolean;
  readonly trace: RoutingTrace;
  /** The upstream bodies, serialized once. */
  readonly body: AttemptBody;
  /** Monotonic ms (on the router's clock) when the request arrived. */
  readonly startedAt: number;
  /** Monotonic ms (on the router's clock) when the total deadline passes. */
  readonly deadlineAt: number;
  /** Validators given with this call. */
  readonly callValidators: readonly AnswerValidator[];
  /** Who is calling (for budgets, limits and the ledger). */
  readonly caller: Caller;
  /** Spending limits given with this call. */
  readonly call: CallSpending;
  /** Every attempt that failed with a classified outcome, as it ended. */
  readonly failures: FailedAttempt[];
  /** Sum of settled attempt costs, fees included. */
  cost: Picodollars;
  /** Sum of settled fees. */
  fee: Picodollars;
  /** The first budget that refused an attempt, for the error if nothing else serves. */
  budgetDenial: BudgetDenial | undefined;
  /** Settlements and ledger writes in flight: awaited before the caller gets the outcome. */
  readonly pending: Array<Promise<unknown>>;
  /** The OpenTelemetry context the call was made in: every attempt's span is its child. */
  readonly otelContext: Context;
  /** The request's retry budget: its round, the attempts it may still start, its failed targets. */
  readonly retries: RetryBudget;
  /** The call's provider policy (a gateway key's) and the request's own `provider` object, checked. */
  readonly policies: {
    readonly key: ProviderPolicy | undefined;
    readonly request: ProviderPolicy | undefined;
  };
  /** Set when a target whose policy says `allow_fallbacks: false` failed: no other target may run. */
  fallbacksStopped: boolean;
  /** The request's headers, for `conditional` rules. */
  readonly headers: RequestHeaders | undefined;
}

/**
 * Waits for the request's settlements and ledger writes, so that a request the caller saw
 * complete is in the (shared) ledger even if the process dies right after. Never throws: a
 * failing store keeps its own retry queue.
 */
export function flushPending(execution: Execution): Promise<unknown> | undefined {
  const { pending } = execution;
  if (pending.length === 0) return undefined;
  return Promise.all(pending.splice(0));
}

/** Fills the trace's totals once the request is over. */
export function closeTrace(execution: Execution): RoutingTrace {
  const trace = execution.trace;
  trace.latencyMs = Math.round((execution.settings.clock.monotonic() - execution.startedAt) * 1000) / 1000;
  trace.costUsd = formatUsd(execution.cost);
  trace.feeUsd = formatUsd(execution.fee);
  return trace;
}
