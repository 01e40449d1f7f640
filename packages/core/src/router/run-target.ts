import { AttemptError } from '../errors/attempt-error.js';
import { OUTCOME_RULES } from '../errors/outcome-codes.js';
import { backoffDelay } from '../retry/backoff.js';
import { orderTargets } from '../routing/order-targets.js';
import type { ModelTarget, RouteTarget, Target } from '../routing/target.js';
import { canServe, skipReason } from '../routing/target-filter.js';
import type { Admission } from '../spend/spend-policy.js';
import type { Cancellation } from '../transport/cancel-signal.js';
import type { Execution, Scope } from './execution.js';
import { Interruption } from './interruption.js';
import { emit } from './router-hooks.js';
import { releaseServed, type Served, sendAttempt } from './send-attempt.js';

/** Thrown when a target was passed over without being called. */
export class TargetSkipped extends Error {
  constructor(readonly reason: string) {
    super(`skipped: ${reason}`);
  }
}

/** Asks the spend policy (ceiling, budgets, rate limits) to admit an attempt on a target. */
async function admit(execution: Execution, target: ModelTarget): Promise<Admission> {
  const { trace } = execution;
  let result = execution.settings.spend.admit({
    target,
    profile: execution.profile,
    context: { caller: execution.caller, route: trace.route, model: target.model, provider: target.provider },
    call: execution.call,
  });
  if (result instanceof Promise) result = await result;
  if (result.ok) return result.admission;
  trace.skipped.push({
    target: target.name,
    reason: result.reason,
    detail: result.detail,
    ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }),
  });
  if (result.budget !== undefined) execution.budgetDenial ??= result.budget;
  throw new TargetSkipped(result.reason);
}

/** Runs a target (a model or a route) until it serves, or throws its last failure. */
export function runTarget(execution: Execution, target: Target, scope: Scope): Promise<Served> {
  if (target.kind === 'model') return runModel(execution, target, scope);
  const child: Scope =
    target.validators.length === 0
      ? scope
      : { ...scope, validators: [...scope.validators, ...target.validators] };
  return target.strategy === 'hedge'
    ? runHedge(execution, target, child)
    : runRoute(execution, target, child);
}

function skip(execution: Execution, target: ModelTarget, reason: string): never {
  execution.trace.skipped.push({ target: target.name, reason });
  throw new TargetSkipped(reason);
}

async function runModel(execution: Execution, target: ModelTarget, scope: Scope): Promise<Served> {
  const reason = skipReason(target, execution.profile);
  if (reason !== undefined) skip(execution, target, reason);
  const { settings } = execution;
  const breaker = target.health.breaker;
  for (let retry = 0; ; retry += 1) {
    if (breaker !== undefined && !breaker.tryAcquire()) skip(execution, target, 'breaker_open');
    let admission: Admission;
    try {
      admission = await admit(execution, target);
    } catch (error) {
      breaker?.release();
      throw error;
    }
    try {
      const served = await sendAttempt(execution, { target, scope, retry, admission });
      breaker?.recordSuccess();
      target.health.latency.record(served.attempt.firstChunkMs ?? served.attempt.latencyMs);
      return served;
    } catch (error) {
      if (!(error instanceof AttemptError)) {
        breaker?.release();
        throw error;
      }
      const rule = OUTCOME_RULES[error.code];
      if (rule.tripsBreaker) breaker?.recordFailure();
      else if (error.code === 'bad_output') breaker?.recordSuccess();
      else breaker?.release();
      const action = settings.actions[error.code];
      if (action === 'stop' || retry + 1 >= settings.retry.maxAttempts) throw error;
      if (action === 'next' && !(rule.transient && !scope.hasAlternatives())) throw error;
      const wait =
        error.retryAfterMs ??
        backoffDelay({
          retry: retry + 1,
          baseDelayMs: settings.retry.baseDelayMs,
          maxDelayMs: settings.retry.maxDelayMs,
          random: settings.random,
        });
      if (wait > settings.retry.maxRetryAfterMs) throw error;
      if (performance.now() + wait >= execution.deadlineAt) throw error;
      await sleep(execution, { ms: wait, signal: scope.signal });
    }
  }
}

/** Waits on the injected clock, cut short when the branch is aborted. */
async function sleep(execution: Execution, options: { ms: number; signal: Scope['signal'] }): Promise<void> {
  const controller = new AbortController();
  const detach = options.signal.onAbort((reason) => controller.abort(reason));
  try {
    await execution.settings.clock.sleep(options.ms, controller.signal);
  } finally {
    detach();
  }
}

function isStop(execution: Execution, error: unknown): boolean {
  return error instanceof AttemptError && execution.settings.actions[error.code] === 'stop';
}

function noteFallback(execution: Execution, route: RouteTarget, error: unknown): void {
  if (!(error instanceof AttemptError)) return;
  const escalation = route.strategy === 'cascade' && error.code === 'bad_output';
  if (escalation) execution.trace.escalated = true;
  else execution.trace.fallback = true;
  const from = execution.trace.attempts.at(-1)?.target ?? route.name;
  emit(execution.settings.hooks.onFallback, {
    from,
    outcome: error.code,
    escalation,
    trace: execution.trace,
  });
}

async function runRoute(execution: Execution, route: RouteTarget, scope: Scope): Promise<Served> {
  const ordered = orderTargets(route, { profile: execution.profile, random: execution.settings.random });
  let failure: unknown;
  for (let index = 0; index < ordered.length; index += 1) {
    const target = ordered[index] as Target;
    if (failure !== undefined) noteFallback(execution, route, failure);
    const hasAlternatives = (): boolean =>
      ordered.slice(index + 1).some((next) => canServe(next, execution.profile)) || scope.hasAlternatives();
    try {
      return await runTarget(execution, target, { ...scope, hasAlternatives });
    } catch (error) {
      if (error instanceof TargetSkipped) {
        failure ??= error;
        continue;
      }
      if (!(error instanceof AttemptError) || isStop(execution, error)) throw error;
      failure = error;
    }
  }
  throw failure ?? new TargetSkipped('no target');
}

/**
 * Hedging: start the first target; when it has not answered within `hedgeAfterMs` (or failed),
 * start the next as well. The first good answer wins; the others are aborted, their cost counted.
 */
function runHedge(execution: Execution, route: RouteTarget, scope: Scope): Promise<Served> {
  const ordered = orderTargets(route, { profile: execution.profile, random: execution.settings.random });
  return new Promise<Served>((resolve, reject) => {
    const running = new Set<Cancellation>();
    let next = 0;
    let settled = false;
    let lastFailure: unknown;
    let timer: NodeJS.Timeout | undefined;

    const branches = new Set<Promise<unknown>>();
    const finish = (outcome: { served?: Served; error?: unknown }): void => {
      settled = true;
      clearTimeout(timer);
      detachScope();
      for (const controller of running) controller.abort(new Interruption('hedge_loser'));
      running.clear();
      // Let the aborted branches record their outcome and cost before the trace is handed out.
      void Promise.allSettled(branches).then(() =>
        outcome.served !== undefined ? resolve(outcome.served) : reject(outcome.error),
      );
    };
    const detachScope = scope.signal.onAbort((reason) => finish({ error: reason }));

    const launch = (): void => {
      clearTimeout(timer);
      if (settled) return;
      while (next < ordered.length && !canServe(ordered[next] as Target, execution.profile)) next += 1;
      if (next >= ordered.length) {
        if (running.size === 0) finish({ error: lastFailure ?? new TargetSkipped('no target') });
        return;
      }
      const target = ordered[next] as Target;
      next += 1;
      const { cancellation: controller, detach: unlink } = scope.signal.child();
      running.add(controller);
      if (running.size > 1) execution.trace.hedged = true;
      const remaining = (): boolean =>
        running.size > 1 ||
        ordered.slice(next).some((other) => canServe(other, execution.profile)) ||
        scope.hasAlternatives();
      const branch = runTarget(execution, target, {
        ...scope,
        signal: controller,
        hasAlternatives: remaining,
      });
      branches.add(branch);
      branch.then(
        (served) => {
          unlink();
          running.delete(controller);
          branches.delete(branch);
          if (settled) {
            // Lost a photo finish: release what it holds.
            releaseServed(execution, served);
            return;
          }
          finish({ served });
        },
        (error: unknown) => {
          unlink();
          running.delete(controller);
          branches.delete(branch);
          if (settled) return;
          if (error instanceof Interruption || isStop(execution, error)) {
            finish({ error });
            return;
          }
          if (!(error instanceof TargetSkipped)) {
            lastFailure = error;
            execution.trace.fallback = true;
          } else lastFailure ??= error;
          launch();
        },
      );
      if (next < ordered.length) {
        timer = setTimeout(launch, route.hedgeAfterMs);
      }
    };
    launch();
  });
}
