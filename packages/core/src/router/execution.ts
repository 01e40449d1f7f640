import type { Clock, Random } from '../clock.js';
import type { OutcomeAction, OutcomeCode } from '../errors/outcome-codes.js';
import { estimateCost, usageCost } from '../pricing/model-pricing.js';
import { formatUsd, type Picodollars, usdFromNumber } from '../pricing/money.js';
import type { RequestProfile } from '../routing/request-profile.js';
import type { ModelTarget } from '../routing/target.js';
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
  /** Sum of settled attempt costs. */
  cost: Picodollars;
  /** The request body minus `model`, serialized once. */
  restBody: string | undefined;
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

/** Opens the trace record of an attempt about to start. */
export function startAttempt(execution: Execution, target: ModelTarget, retry: number): AttemptTrace {
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
    costEstimated: false,
    hedgeLoser: false,
    generationId: undefined,
  };
  execution.trace.attempts.push(attempt);
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
 * Settles an attempt's cost: from its usage and the target's prices, else the upstream's reported
 * cost; with no usage, `estimatePrompt` charges the prompt (the upstream read it before the abort).
 */
export function settleCost(
  execution: Execution,
  attempt: AttemptTrace,
  options: { target: ModelTarget; usage: UsageReport | undefined; estimatePrompt?: boolean },
): void {
  const { target, usage } = options;
  let cost: Picodollars = 0n;
  if (usage !== undefined) {
    attempt.usage = usage;
    execution.trace.promptTokens += usage.promptTokens;
    execution.trace.completionTokens += usage.completionTokens;
    if (target.pricing !== undefined) cost = usageCost(target.pricing, usage);
    else if (usage.reportedCost !== undefined) cost = usdFromNumber(usage.reportedCost);
  } else if (options.estimatePrompt && target.pricing !== undefined) {
    cost = estimateCost(target.pricing, {
      promptTokens: execution.profile.promptTokensApprox,
      completionTokens: 0,
    });
    attempt.costEstimated = true;
  }
  attempt.costUsd = formatUsd(cost);
  execution.cost += cost;
}

/** Closes an attempt's trace record and tells the hooks. */
export function finishAttempt(execution: Execution, attempt: AttemptTrace, startedAt: number): void {
  attempt.latencyMs = Math.round((execution.settings.clock.monotonic() - startedAt) * 1000) / 1000;
  emit(execution.settings.hooks.onAttempt, attempt, execution.trace);
}

/** Fills the trace's totals once the request is over. */
export function closeTrace(execution: Execution): RoutingTrace {
  const trace = execution.trace;
  trace.latencyMs = Math.round((execution.settings.clock.monotonic() - execution.startedAt) * 1000) / 1000;
  trace.costUsd = formatUsd(execution.cost);
  return trace;
}

/** True when the upstream served another model than the one sent (a `:variant` suffix aside). */
export function isRouteSurprise(sent: string, returned: string | undefined): boolean {
  if (returned === undefined || returned === '' || returned === sent) return false;
  return !sent.startsWith(`${returned}:`);
}
