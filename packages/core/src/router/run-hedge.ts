import { orderTargets } from '../routing/order-targets.js';
import type { RouteTarget, Target } from '../routing/target.js';
import { canServe } from '../routing/target-filter.js';
import type { Cancellation } from '../transport/cancel-signal.js';
import { Interruption } from './interruption.js';
import type { Execution } from './request-execution.js';
import type { NotServed, RunResult } from './route-request.js';
import type { Scope } from './scope.js';

/**
 * Hedging: start the first target; when it has not answered within `hedgeAfterMs` (on the router's
 * clock) or failed, start the next as well. The first good answer wins; the others are aborted,
 * their cost counted. An answer that arrives after the race was decided is dropped.
 */
export function runHedge(
  execution: Execution,
  options: {
    route: RouteTarget;
    scope: Scope;
    /** Runs one branch (the router's `runTarget`). */
    run: (execution: Execution, target: Target, scope: Scope) => Promise<RunResult>;
  },
): Promise<RunResult> {
  const { route, scope, run } = options;
  const { clock } = execution.settings;
  const ordered = orderTargets(route, { profile: execution.profile, random: execution.settings.random });
  // `allow_fallbacks: false` (the call's, the request's or a route's): no parallel start either.
  const { key, request } = execution.policies;
  const alone =
    key?.allow_fallbacks === false ||
    request?.allow_fallbacks === false ||
    scope.policies.some((policy) => policy.allow_fallbacks === false);
  return new Promise<RunResult>((resolve, reject) => {
    const running = new Set<Cancellation>();
    const branches = new Set<Promise<unknown>>();
    let next = 0;
    let decided = false;
    let lastFailure: NotServed = { kind: 'skipped' };
    let cancelTimer: (() => void) | undefined;

    const decide = (outcome: { result: RunResult } | { error: unknown }): void => {
      decided = true;
      cancelTimer?.();
      detachScope();
      for (const controller of running) controller.abort(new Interruption('hedge_loser'));
      running.clear();
      // Let the aborted branches record their outcome and cost before the trace is handed out.
      void Promise.allSettled(branches).then(() =>
        'result' in outcome ? resolve(outcome.result) : reject(outcome.error),
      );
    };
    const detachScope = scope.signal.onAbort((reason) => decide({ error: reason }));

    const launch = (): void => {
      cancelTimer?.();
      cancelTimer = undefined;
      if (decided) return;
      while (next < ordered.length && !canServe(ordered[next] as Target, execution.profile)) next += 1;
      if (next >= ordered.length) {
        if (running.size === 0) decide({ result: lastFailure });
        return;
      }
      const target = ordered[next] as Target;
      next += 1;
      const { cancellation: controller, detach: unlink } = scope.signal.child();
      running.add(controller);
      if (running.size > 1) execution.trace.hedged = true;
      const hasAlternatives = (): boolean =>
        running.size > 1 ||
        ordered.slice(next).some((other) => canServe(other, execution.profile)) ||
        scope.hasAlternatives();
      const branch = run(execution, target, { ...scope, signal: controller, hasAlternatives });
      branches.add(branch);
      const settle = (): void => {
        unlink();
        running.delete(controller);
        branches.delete(branch);
      };
      branch.then(
        (result) => {
          settle();
          if (decided) {
            // Lost a photo finish: release what it holds.
            if (result.kind !== 'skipped' && result.kind !== 'failed') result.attempt.drop();
            return;
          }
          if (result.kind === 'skipped') {
            launch();
            return;
          }
          if (result.kind === 'failed') {
            if (execution.settings.actions[result.error.code] === 'stop') {
              decide({ result });
              return;
            }
            lastFailure = result;
            execution.trace.fallback = true;
            launch();
            return;
          }
          decide({ result });
        },
        (error: unknown) => {
          settle();
          if (!decided) decide({ error });
        },
      );
      if (next < ordered.length && !alone) cancelTimer = clock.schedule(route.hedgeAfterMs, launch);
    };
    launch();
  });
}
