import type { Target } from '../target.js';

/**
 * Default probe share: one ordering in 10 puts a target other than the best first (ε = 0.1, the
 * classic ε-greedy share).
 */
export const PROBE_EVERY = 10;

// How many orderings in a row each target was not first. Keyed by the compiled target, so the
// count lives and dies with its router; a target shared by two routes counts in both.
const waiting = new WeakMap<Target, number>();

/**
 * Keeps an ordering honest: an order that always puts the same target first never learns
 * whether the others got better. With `k` targets, one that has not been first for
 * `every * (k - 1)` orderings goes first once (the one that waited longest, when several have),
 * the rest keep their order behind it. So every target is tried at least once every
 * `every * (k - 1)` orderings, and probes take at most one ordering in `every`.
 *
 * Deterministic rather than an ε draw on the router's `random`: a draw gives the same share on
 * average but no bound on how long a target waits, and this bound is what lets a recovered
 * target win its traffic back within a known number of requests.
 *
 * @param ordered the strategy's order, best first
 * @param every one ordering in `every` may be a probe; 0 turns probing off
 */
export function probeOrder(ordered: readonly Target[], every = PROBE_EVERY): Target[] {
  if (ordered.length < 2 || every <= 0) return [...ordered];
  const turn = every * (ordered.length - 1) - 1;
  let probe = -1;
  let longest = turn - 1;
  for (let index = 1; index < ordered.length; index += 1) {
    const waited = waiting.get(ordered[index] as Target) ?? 0;
    if (waited > longest) {
      probe = index;
      longest = waited;
    }
  }
  const result =
    probe < 0
      ? [...ordered]
      : [ordered[probe] as Target, ...ordered.slice(0, probe), ...ordered.slice(probe + 1)];
  waiting.set(result[0] as Target, 0);
  for (let index = 1; index < result.length; index += 1) {
    const target = result[index] as Target;
    waiting.set(target, (waiting.get(target) ?? 0) + 1);
  }
  return result;
}
