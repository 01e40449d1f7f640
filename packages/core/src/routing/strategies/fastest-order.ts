import type { Target } from '../target.js';

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
 * Orders targets by their moving latency estimate, fastest first. Targets without a sample go
 * first, so that every target gets measured.
 */
export function fastestOrder(targets: readonly Target[]): Target[] {
  const latencies = new Map(targets.map((target) => [target, latencyOf(target)]));
  return [...targets].sort((a, b) => {
    const latencyA = latencies.get(a);
    const latencyB = latencies.get(b);
    if (latencyA === undefined) return latencyB === undefined ? 0 : -1;
    if (latencyB === undefined) return 1;
    return latencyA - latencyB;
  });
}
