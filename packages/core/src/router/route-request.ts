import { AttemptError } from '../errors/attempt-error.js';
import { OUTCOME_RULES } from '../errors/outcome-codes.js';
import { policySkipReason } from '../policy/policy-check.js';
import { targetPolicy } from '../policy/target-policy.js';
import type { ConditionInput } from '../routing/conditions/compile-condition.js';
import { orderTargets } from '../routing/order-targets.js';
import type { SkipReason } from '../routing/skip-reason.js';
import type { CompiledRule, ModelTarget, RouteTarget, Target } from '../routing/target.js';
import { canServe, skipReason } from '../routing/target-filter.js';
import type { Refusal } from '../spend/spend-policy.js';
import { Attempt, type Served } from './attempt.js';
import type { Execution } from './request-execution.js';
import { noteFailure, roundPass } from './retry-budget.js';
import { retryDecision } from './retry-decision.js';
import { emit } from './router-hooks.js';
import { runHedge } from './run-hedge.js';
import { routeScope, type Scope } from './scope.js';

/** A target that could not serve: passed over without a call, or every call on it failed. */
export type NotServed = { kind: 'skipped' } | { kind: 'failed'; error: AttemptError };

/** How running a target ended. Interruptions (caller, deadline) and store failures are thrown. */
export type RunResult = Served | NotServed;

const SKIPPED: NotServed = Object.freeze({ kind: 'skipped' });

/** True when a result ends the whole request: it served, or failed with an outcome whose action is `stop`. */
export function isFinal(execution: Execution, result: RunResult): boolean {
  return result.kind === 'failed'
    ? execution.settings.actions[result.error.code] === 'stop'
    : result.kind !== 'skipped';
}

/** Runs a target (a model or a route) until it serves, or returns why it did not. */
export function runTarget(execution: Execution, target: Target, scope: Scope): Promise<RunResult> {
  if (target.kind === 'model') return runModel(execution, target, scope);
  const child = routeScope(scope, target);
  if (target.conditional !== undefined)
    return runTarget(execution, pickTarget(execution, { route: target, ...target.conditional }), child);
  return target.strategy === 'hedge'
    ? runHedge(execution, { route: target, scope: child, run: runTarget })
    : runRoute(execution, target, child);
}

function skip(
  execution: Execution,
  target: ModelTarget,
  why: { reason: SkipReason } & Partial<Pick<Refusal, 'detail' | 'retryAfterMs'>>,
): NotServed {
  execution.trace.skipped.push({
    target: target.name,
    reason: why.reason,
    ...(why.detail === undefined ? {} : { detail: why.detail }),
    ...(why.retryAfterMs === undefined ? {} : { retryAfterMs: why.retryAfterMs }),
  });
  return SKIPPED;
}

/** Asks the spend policy (ceiling, budgets, rate limits) to admit an attempt on a target. */
async function admit(execution: Execution, target: ModelTarget) {
  const { trace } = execution;
  const result = execution.settings.spend.admit({
    target,
    profile: execution.profile,
    context: { caller: execution.caller, route: trace.route, model: target.model, provider: target.provider },
    call: execution.call,
  });
  return result instanceof Promise ? await result : result;
}

/**
 * Whether the policy a model target would run under here makes it ineligible (routes nested
 * below the scope are not looked into: their own policies only narrow further).
 */
function policyExcludes(execution: Execution, scope: Scope, target: ModelTarget): boolean {
  const { policies } = execution;
  if (
    policies.key === undefined &&
    policies.request === undefined &&
    scope.policies.length === 0 &&
    target.policy === undefined
  )
    return false;
  const policy = targetPolicy({
    key: policies.key,
    routes: scope.policies,
    target,
    request: policies.request,
  });
  return policy !== undefined && policySkipReason(policy.policy, target.understandsPreferences) !== undefined;
}

/** Notes a request's policy fields that config tightened, once each. */
function noteTightened(execution: Execution, fields: readonly string[]): void {
  execution.trace.policyTightened ??= [];
  const noted = execution.trace.policyTightened;
  for (const field of fields) if (!noted.includes(field)) noted.push(field);
}

/** Calls one model target: filters, policy, breaker, admission, then attempts with retries. */
async function runModel(execution: Execution, target: ModelTarget, scope: Scope): Promise<RunResult> {
  // A target ran under `allow_fallbacks: false` and failed: no other may (a hedge's next branch).
  if (execution.fallbacksStopped) return SKIPPED;
  const reason = skipReason(target, execution.profile);
  if (reason !== undefined) return skip(execution, target, { reason });
  const { policies } = execution;
  // Without any policy (the common case) nothing is built.
  const policy =
    policies.key === undefined &&
    policies.request === undefined &&
    scope.policies.length === 0 &&
    target.policy === undefined
      ? undefined
      : targetPolicy({ key: policies.key, routes: scope.policies, target, request: policies.request });
  if (policy !== undefined) {
    if (policy.tightened.length > 0) noteTightened(execution, policy.tightened);
    const refused = policySkipReason(policy.policy, target.understandsPreferences);
    if (refused !== undefined) return skip(execution, target, { reason: refused });
  }
  const alone = policy?.policy.allow_fallbacks === false;
  const { settings, retries } = execution;
  const pass = roundPass(retries, { target, now: settings.clock.monotonic() });
  if (pass.kind === 'pass') return SKIPPED;
  if (pass.kind === 'skip') return skip(execution, target, pass);
  const breaker = target.health.breaker;
  for (let retry = 0; ; retry += 1) {
    if (breaker !== undefined && !breaker.tryAcquire())
      return skip(execution, target, { reason: 'breaker_open' });
    let admitted: Awaited<ReturnType<typeof admit>>;
    try {
      admitted = await admit(execution, target);
    } catch (error) {
      breaker?.release();
      throw error;
    }
    if (!admitted.ok) {
      breaker?.release();
      if (admitted.budget !== undefined) execution.budgetDenial ??= admitted.budget;
      return skip(execution, target, admitted);
    }
    retries.attemptsLeft -= 1;
    const attempt = new Attempt(execution, { target, retry, admission: admitted.admission, scope, policy });
    try {
      const served = await attempt.run(scope);
      breaker?.recordSuccess();
      target.health.latency.record(attempt.record.firstChunkMs ?? attempt.record.latencyMs);
      return served;
    } catch (error) {
      if (!(error instanceof AttemptError)) {
        breaker?.release();
        throw error;
      }
      if (OUTCOME_RULES[error.code].tripsBreaker) breaker?.recordFailure();
      else if (error.code === 'bad_output') breaker?.recordSuccess();
      else breaker?.release();
      // A target that times out is not fast: its time counts as a (slow) sample for `fastest`.
      if (error.code === 'timeout') target.health.latency.record(attempt.record.latencyMs);
      noteFailure(retries, { target, error, now: settings.clock.monotonic(), actions: settings.actions });
      const decision = retryDecision({
        error,
        retry,
        attemptsLeft: retries.attemptsLeft,
        // `allow_fallbacks: false`: this target is the only one, so a transient failure is retried here.
        hasAlternatives: !alone && scope.hasAlternatives(),
        remainingMs: execution.deadlineAt - settings.clock.monotonic(),
        settings,
      });
      if (!decision.retry) {
        if (alone) execution.fallbacksStopped = true;
        return { kind: 'failed', error };
      }
      await sleep(execution, { ms: decision.waitMs, signal: scope.signal });
    }
  }
}

/** Waits on the injected clock, cut short when the branch is aborted. */
export async function sleep(
  execution: Execution,
  options: { ms: number; signal: Scope['signal'] },
): Promise<void> {
  const controller = new AbortController();
  const detach = options.signal.onAbort((reason) => controller.abort(reason));
  try {
    await execution.settings.clock.sleep(options.ms, controller.signal);
  } finally {
    detach();
  }
}

/** Records that a failed target handed the request on: a fallback, or a cascade's escalation. */
export function noteFallback(execution: Execution, route: RouteTarget, failure: NotServed): void {
  if (failure.kind !== 'failed') return;
  const escalation = route.strategy === 'cascade' && failure.error.code === 'bad_output';
  if (escalation) execution.trace.escalated = true;
  else execution.trace.fallback = true;
  const from = execution.trace.attempts.at(-1)?.target ?? route.name;
  emit(execution.settings.hooks.onFallback, {
    from,
    outcome: failure.error.code,
    escalation,
    trace: execution.trace,
  });
}

/**
 * The target a `conditional` route sends this request to: the first rule whose condition holds,
 * else the default; the trace records which.
 */
function pickTarget(
  execution: Execution,
  input: { route: RouteTarget; rules: readonly CompiledRule[]; otherwise: Target },
): Target {
  const { caller, request, profile, stream, headers, trace } = execution;
  const format = (request as { response_format?: { type?: unknown } }).response_format?.type;
  const facts: ConditionInput = {
    caller,
    model: trace.requestedModel,
    stream,
    responseFormat: typeof format === 'string' ? format : undefined,
    profile,
    headers,
  };
  const rule = input.rules.find((each) => each.test(facts));
  const target = rule?.target ?? input.otherwise;
  trace.rules ??= [];
  trace.rules.push({ route: input.route.name, rule: rule?.index ?? 'default', target: target.name });
  return target;
}

/** Tries a route's targets in its strategy's order until one serves. */
async function runRoute(execution: Execution, route: RouteTarget, scope: Scope): Promise<RunResult> {
  const ordered = orderTargets(route, { profile: execution.profile, random: execution.settings.random });
  let failure: NotServed | undefined;
  for (let index = 0; index < ordered.length; index += 1) {
    const target = ordered[index] as Target;
    if (failure !== undefined) noteFallback(execution, route, failure);
    // Asked on a failure only: which later target could still serve, its provider policy included.
    const hasAlternatives = (): boolean => {
      const excluded = (model: ModelTarget): boolean => policyExcludes(execution, scope, model);
      return (
        ordered.slice(index + 1).some((next) => canServe(next, execution.profile, excluded)) ||
        scope.hasAlternatives()
      );
    };
    const result = await runTarget(execution, target, { ...scope, hasAlternatives });
    if (isFinal(execution, result) || execution.fallbacksStopped) return result;
    // A failure outranks a skip: the request's error names what went wrong.
    if (result.kind === 'failed' || failure === undefined) failure = result as NotServed;
  }
  return failure ?? SKIPPED;
}
