import type { Target } from '../routing/target.js';
import type { Execution } from './request-execution.js';
import { anotherRoundLeft } from './retry-budget.js';
import { roundDecision } from './round-decision.js';
import { isFinal, type NotServed, type RunResult, runTarget, sleep } from './route-request.js';
import type { Scope } from './scope.js';

/**
 * Runs a request's target tree in rounds (`retry.rounds`): when a pass over the chain ends without
 * an answer, goes around again after the round's wait, within the deadline and the request's
 * attempt budget. While another round is left, the chain's last target counts as having an
 * alternative (the next round), so a transient failure moves on instead of being retried in place.
 */
export async function runRounds(execution: Execution, root: Target, scope: Scope): Promise<RunResult> {
  const { retries: budget, settings } = execution;
  const roundScope: Scope = {
    ...scope,
    hasAlternatives: () => scope.hasAlternatives() || anotherRoundLeft(budget),
  };
  let failure: NotServed | undefined;
  for (;;) {
    const result = await runTarget(execution, root, roundScope);
    if (isFinal(execution, result) || execution.fallbacksStopped) return result;
    // The latest failure names the request's error; a round that only skipped keeps the earlier one.
    if (result.kind === 'failed' || failure === undefined) failure = result as NotServed;
    const decision = roundDecision({
      budget,
      now: settings.clock.monotonic(),
      deadlineAt: execution.deadlineAt,
      retry: settings.retry,
      random: settings.random,
    });
    if (!decision.again) return failure;
    if (decision.waitMs > 0) await sleep(execution, { ms: decision.waitMs, signal: scope.signal });
    budget.round += 1;
  }
}
