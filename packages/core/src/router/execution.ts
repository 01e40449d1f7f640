import type { Clock, Random } from '../clock.js';
import type { OutcomeAction, OutcomeCode } from '../errors/outcome-codes.js';
import { estimateCost, usageCost } from '../pricing/model-pricing.js';
import { formatUsd, type Picodollars, parseUsd, usdFromNumber } from '../pricing/money.js';
import type { RequestProfile } from '../routing/request-profile.js';
import type { ModelTarget } from '../routing/target.js';
import type { BudgetDenial } from '../spend/budget-guard.js';
import type { FeeSchedule } from '../spend/fee-schedule.js';
import type { SpendLedger } from '../spend/spend-ledger.js';
import type { Admission, CallSpending, SpendPolicy } from '../spend/spend-policy.js';
import type { Caller } from '../spend/spend-scope.js';
import type { AttemptTrace, RoutingTrace, UsageReport } from '../trace/routing-trace.js';
import type { Cancellation } from '../transport/cancel-signal.js';
import type { DeadlineScheduler } from '../transport/deadline-scheduler.js';
import type { Transport } from '../transport/transport.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import type { AnswerValidator } from '../validators/answer-validator.js';
import { emit, type RouterHooks } from './router-hooks.js';

/** Router-wide settings, resolved from config and options once. */
export interface RouterSettings {
  readonly transport: Transport;
  /** Runs attempt timeouts on one timer. */
  readonly scheduler: DeadlineScheduler;
  readonly clock: Clock;
  readonly random: Random;
  readonly hooks: RouterHooks;
  readonly secrets: readonly string[];
  readonly actions: Readonly<Record<OutcomeCode, OutcomeAction>>;
  readonly retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number };
  readonly timeouts: { attemptMs: number; totalMs: number; stallMs: number };
  readonly spend: SpendPolicy;
  readonly fees: FeeSchedule;
  readonly ledger: SpendLedger;
  /** Relative tolerance of reported vs computed cost, and the cap on an unverifiable reported cost. */
  readonly costCheck: { tolerance: number; maxReported: Picodollars };
}

/** The state of one request while the router works on it. */
export interface Execution {
  readonly settings: RouterSettings;
  readonly request: ChatRequest;
  readonly profile: RequestProfile;
  readonly stream: boolean;
  readonly trace: RoutingTrace;
  /** Monotonic ms when the request arrived. */
  readonly startedAt: number;
  /** `performance.now()` reading when the total deadline passes (timeouts run on real time). */
  readonly deadlineAt: number;
  /** Validators given with this call. */
  readonly callValidators: readonly AnswerValidator[];
  /** Who is calling (for budgets, limits and the ledger). */
  readonly caller: Caller;
  /** Spending limits given with this call. */
  readonly call: CallSpending;
  /** What each running attempt holds from the spend policy. */
  readonly admissions: Map<AttemptTrace, Admission>;
  /** Sum of settled attempt costs, fees included. */
  cost: Picodollars;
  /** Sum of settled fees. */
  fee: Picodollars;
  /** The first budget that refused an attempt, for the error if nothing else serves. */
  budgetDenial: BudgetDenial | undefined;
  /** The request body minus `model`, serialized once. */
  restBody: string | undefined;
  /** Settlements and ledger writes in flight: awaited before the caller gets the outcome. */
  readonly pending: Array<Promise<unknown>>;
}

const ignore = (): undefined => undefined;

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

/** Where one target runs within the routing tree. */
export interface Scope {
  /** Aborts this branch (the request's, or a hedge branch's). */
  readonly signal: Cancellation;
  /** Validators of the enclosing routes and of the call. */
  readonly validators: readonly AnswerValidator[];
  /** Whether another target could still serve if this one fails. */
  hasAlternatives(): boolean;
}

const OMITTED_KEYS = new Set(['model', 'models', 'stream', 'stream_options']);

/** The upstream body for one attempt: the caller's request with the target's model id. */
export function attemptBody(execution: Execution, model: string): string {
  if (execution.restBody === undefined) {
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(execution.request)) {
      if (!OMITTED_KEYS.has(key) && value !== undefined) rest[key] = value;
    }
    if (execution.stream) {
      rest.stream = true;
      rest.stream_options = { ...(execution.request.stream_options ?? {}), include_usage: true };
    }
    execution.restBody = JSON.stringify(rest);
  }
  const rest = execution.restBody;
  return `{"model":${JSON.stringify(model)}${rest.length > 2 ? `,${rest.slice(1)}` : '}'}`;
}

/** Opens the trace record of an attempt about to start, holding its admission until it settles. */
export function startAttempt(
  execution: Execution,
  options: { target: ModelTarget; retry: number; admission: Admission | undefined },
): AttemptTrace {
  const { target, retry, admission } = options;
  const attempt: AttemptTrace = {
    index: execution.trace.attempts.length,
    target: target.name,
    provider: target.provider,
    model: target.model,
    returnedModel: undefined,
    outcome: 'pending',
    status: undefined,
    message: undefined,
    retry,
    latencyMs: 0,
    firstChunkMs: undefined,
    usage: undefined,
    costUsd: '0',
    tokenCostUsd: '0',
    feeUsd: '0',
    reportedCostUsd: undefined,
    costMismatch: false,
    worstCaseUsd: admission?.worstCaseUsd,
    costEstimated: false,
    hedgeLoser: false,
    generationId: undefined,
  };
  execution.trace.attempts.push(attempt);
  if (admission !== undefined) execution.admissions.set(attempt, admission);
  return attempt;
}

/** Reads OpenAI/OpenRouter usage into a {@link UsageReport}. */
export function readUsage(usage: ChatResponse['usage'] | null | undefined): UsageReport | undefined {
  if (usage === undefined || usage === null) return undefined;
  const reported = usage.cost;
  return {
    promptTokens: usage.prompt_tokens ?? 0,
    completionTokens: usage.completion_tokens ?? 0,
    totalTokens: usage.total_tokens ?? (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0),
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    reportedCost:
      typeof reported === 'number' && Number.isFinite(reported) && reported >= 0 ? reported : undefined,
  };
}

/**
 * Settles an attempt's cost. The token cost comes from the usage and the target's catalog prices;
 * the upstream's reported figure is kept beside it and flagged when they differ beyond the
 * tolerance. An unpriced model is charged its reported cost, capped by `costCheck.maxReportedUsd`
 * (an absurd figure is flagged, never trusted blindly). With no usage, `estimatePrompt` charges
 * the prompt (the upstream read it before the abort). The provider's fee comes on top.
 */
export function settleCost(
  execution: Execution,
  attempt: AttemptTrace,
  options: { target: ModelTarget; usage: UsageReport | undefined; estimatePrompt?: boolean },
): void {
  const { target, usage } = options;
  const { costCheck, fees } = execution.settings;
  let tokenCost: Picodollars = 0n;
  if (usage !== undefined) {
    attempt.usage = usage;
    execution.trace.promptTokens += usage.promptTokens;
    execution.trace.completionTokens += usage.completionTokens;
    const reported = usage.reportedCost === undefined ? undefined : usdFromNumber(usage.reportedCost);
    if (reported !== undefined) attempt.reportedCostUsd = formatUsd(reported);
    if (target.pricing !== undefined) {
      tokenCost = usageCost(target.pricing, usage);
      if (reported !== undefined) attempt.costMismatch = differs(reported, tokenCost, costCheck.tolerance);
    } else if (reported !== undefined) {
      attempt.costMismatch = reported > costCheck.maxReported;
      tokenCost = attempt.costMismatch ? costCheck.maxReported : reported;
    }
  } else if (options.estimatePrompt && target.pricing !== undefined) {
    tokenCost = estimateCost(target.pricing, {
      promptTokens: execution.profile.promptTokensApprox,
      completionTokens: 0,
    });
    attempt.costEstimated = true;
  }
  const fee = fees.charge({ provider: target.provider, tokenCost });
  attempt.tokenCostUsd = formatUsd(tokenCost);
  attempt.feeUsd = fee === 0n ? '0' : formatUsd(fee);
  attempt.costUsd = fee === 0n ? attempt.tokenCostUsd : formatUsd(tokenCost + fee);
  execution.cost += tokenCost + fee;
  execution.fee += fee;
}

/** True when two amounts differ by more than `tolerance` relative to the computed one. */
function differs(reported: Picodollars, computed: Picodollars, tolerance: number): boolean {
  const difference = reported > computed ? reported - computed : computed - reported;
  if (computed === 0n) return difference > 0n;
  // Compare difference / computed > tolerance in integers (tolerance kept to 1e-6).
  return difference * 1_000_000n > computed * BigInt(Math.round(tolerance * 1_000_000));
}

/** Closes an attempt's trace record and tells the hooks. */
export function finishAttempt(execution: Execution, attempt: AttemptTrace, startedAt: number): void {
  const { settings, trace, caller } = execution;
  attempt.latencyMs = Math.round((settings.clock.monotonic() - startedAt) * 1000) / 1000;
  const admission = execution.admissions.get(attempt);
  if (admission !== undefined) {
    execution.admissions.delete(attempt);
    const tokens = (attempt.usage?.promptTokens ?? 0) + (attempt.usage?.completionTokens ?? 0);
    const settled = settings.spend.settle({ admission, cost: parseUsd(attempt.costUsd), tokens });
    // Swallowed here: a store keeps its own retry queue, and a late write (a hedge loser's) that
    // nobody awaits must not become an unhandled rejection.
    if (settled !== undefined) execution.pending.push(settled.catch(ignore));
  }
  try {
    const appended = settings.ledger.append({
      time: new Date(settings.clock.now()).toISOString(),
      requestId: trace.id,
      attempt: trace.attempts.indexOf(attempt) + 1,
      key: caller.key,
      user: caller.user,
      tags: caller.tags ?? [],
      route: trace.route,
      target: attempt.target,
      provider: attempt.provider,
      model: attempt.model,
      servedModel: attempt.returnedModel,
      outcome: attempt.outcome,
      promptTokens: attempt.usage?.promptTokens ?? 0,
      completionTokens: attempt.usage?.completionTokens ?? 0,
      tokenCostUsd: attempt.tokenCostUsd,
      feeUsd: attempt.feeUsd,
      costUsd: attempt.costUsd,
      reportedCostUsd: attempt.reportedCostUsd,
      costMismatch: attempt.costMismatch,
      estimated: attempt.costEstimated,
    });
    if (appended instanceof Promise) execution.pending.push(appended.catch(ignore));
  } catch {
    // A failing ledger store must not fail the request; the trace still carries the cost.
  }
  emit(settings.hooks.onAttempt, attempt, trace);
}

/** Fills the trace's totals once the request is over. */
export function closeTrace(execution: Execution): RoutingTrace {
  const trace = execution.trace;
  trace.latencyMs = Math.round((execution.settings.clock.monotonic() - execution.startedAt) * 1000) / 1000;
  trace.costUsd = formatUsd(execution.cost);
  trace.feeUsd = formatUsd(execution.fee);
  return trace;
}

/** True when the upstream served another model than the one sent (a `:variant` suffix aside). */
export function isRouteSurprise(sent: string, returned: string | undefined): boolean {
  if (returned === undefined || returned === '' || returned === sent) return false;
  return !sent.startsWith(`${returned}:`);
}
