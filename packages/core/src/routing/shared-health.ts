import type { CircuitBreaker } from '../breaker/circuit-breaker.js';
import type { HealthSync } from '../store/switchyard-store.js';
import type { LatencyEstimate } from './latency-estimate.js';

/**
 * A breaker that still decides locally (no round trip on the hot path) and reports what it sees
 * to the fleet: every failure, and a success once there were failures. What other replicas
 * report comes back through `openFor` and `reset`, which do not report again.
 */
export function shareBreaker(local: CircuitBreaker, key: string, sync: HealthSync): CircuitBreaker {
  return {
    state: local.state,
    tryAcquire: local.tryAcquire,
    release: local.release,
    openFor: local.openFor,
    reset: local.reset,
    troubled: local.troubled,
    recordFailure() {
      local.recordFailure();
      sync.recordFailure(key);
    },
    recordSuccess() {
      if (local.troubled()) sync.recordSuccess(key);
      local.recordSuccess();
    },
  };
}

/** A latency estimate whose samples also go to the fleet's estimate. */
export function shareLatency(local: LatencyEstimate, key: string, sync: HealthSync): LatencyEstimate {
  return {
    value: local.value,
    set: local.set,
    record(ms) {
      local.record(ms);
      sync.recordLatency(key, ms);
    },
  };
}
