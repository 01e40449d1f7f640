import type { Operation } from '../routing/operation.js';
import type { Caller } from '../spend/spend-scope.js';
import type { Door } from './door.js';
import type { RoutingTrace } from './routing-trace.js';

let sequence = 0;
/** Unique across a fleet: replicas share a ledger, so ids carry a per-process random part. */
const PROCESS_TAG = Math.floor(Math.random() * 36 ** 4)
  .toString(36)
  .padStart(4, '0');

/** A new request id: `swy-<time>-<process><sequence>`. */
export function newRequestId(now: number): string {
  return `swy-${now.toString(36)}-${PROCESS_TAG}${(sequence++).toString(36)}`;
}

/** The empty trace of a request that just arrived. */
export function newTrace(input: {
  requestedModel: string;
  startedAt: number;
  caller: Caller;
  /** @default 'chat' */
  operation?: Operation;
  door?: Door | undefined;
}): RoutingTrace {
  const { caller } = input;
  // A plain literal: on Node 20, every key after a leading spread takes V8's slow path (~1.7 µs a
  // key), and the object stays slow to read: this literal cost 49 µs, and the Express gateway
  // 293 µs a request against 208 written plainly (README, "A second V8 pitfall").
  const trace: RoutingTrace = {
    id: newRequestId(Date.now()),
    caller: { key: caller.key, user: caller.user, tags: caller.tags ?? [] },
    feeUsd: '0',
    requestedModel: input.requestedModel,
    operation: input.operation ?? 'chat',
    route: undefined,
    strategy: undefined,
    served: undefined,
    routeSurprise: false,
    policyViolation: false,
    fallback: false,
    escalated: false,
    hedged: false,
    attempts: [],
    skipped: [],
    startedAt: input.startedAt,
    latencyMs: 0,
    costUsd: '0',
    promptTokens: 0,
    completionTokens: 0,
  };
  if (input.door !== undefined) trace.door = input.door;
  return trace;
}

/** True when the upstream served another model than the one sent (a `:variant` suffix aside). */
export function isRouteSurprise(sent: string, returned: string | undefined): boolean {
  if (returned === undefined || returned === '' || returned === sent) return false;
  return !sent.startsWith(`${returned}:`);
}
