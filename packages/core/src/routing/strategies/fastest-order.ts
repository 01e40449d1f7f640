import type { Target } from '../target.js';
import { PROBE_EVERY, probeOrder } from './probe-order.js';

/** The latency estimate of a target (a route: its fastest target); undefined before any sample. */
export function latencyOf(target: Target): number | undefined {
  if (target.kind === 'model') return target.health.latency.value();
  let best: number | undefined;
  for (const entry of target.entries) {
    const latency = latencyOf(entry.target);
    if (latency !== undefined && (best === undefined || latency < best)) best = latency;
  }
  return best;
}

/**
 * Orders targets by their latency estimate, fastest first; targets without a sample go first, so
 * that every target gets measured. Then {@link probeOrder} gives the slower ones their turn, so a
 * target that recovered is sampled again, and its estimate (which fades with time) catches up.
 *
 * Why probes over an order by estimate, and not power-of-two-choices over a peak-EWMA (Finagle,
 * Linkerd, Helicone): with the two targets a `fastest` route usually has, P2C always compares
 * both and always picks the same one, and its way back for an idle target is a cost that decays
 * with time, which bounds the wait in seconds, not in requests. It also weighs requests in
 * flight, which the router does not report. A fixed probe share bounds it in requests and keeps
 * the full fallback order.
 */
export function fastestOrder(targets: readonly Target[]): Target[] {
  const latencies = new Map(targets.map((target) => [target, latencyOf(target)]));
  const ordered = [...targets].sort((a, b) => {
    const latencyA = latencies.get(a);
    const latencyB = latencies.get(b);
    if (latencyA === undefined) return latencyB === undefined ? 0 : -1;
    if (latencyB === undefined) return 1;
    return latencyA - latencyB;
  });
  return probeOrder(ordered, PROBE_EVERY);
}
