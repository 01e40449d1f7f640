import { formatUsd, parseUsd } from '../pricing/money.js';
import type { Door } from './door.js';
import type { CacheStatus, RoutingTrace } from './routing-trace.js';

/** One log line of an HTTP request, made from its routing traces. Never holds a secret. */
export interface TraceLogRecord {
  method: string;
  path: string;
  status: number;
  /** Whether the answer was a stream. */
  stream: boolean;
  /** The key's name (not the key). */
  key: string | undefined;
  /** Switchyard's id of the latest call. */
  requestId: string | undefined;
  /** The route of the latest call (or the model it asked for, when that was no route). */
  route: string | undefined;
  /** The model that served the latest call. */
  model: string | undefined;
  /** The provider that served the latest call. */
  provider: string | undefined;
  /** Attempts of every call. */
  attempts: number;
  /** Whether the latest call fell back or escalated. */
  fallback: boolean;
  /** What every call cost in USD, failed attempts included, exact decimal. */
  costUsd: string;
  /** What the answer cache did for the latest call (`hit`, `miss`, `bypass`), when its route caches. */
  cache?: CacheStatus;
  /** Milliseconds from the request's arrival to now. */
  latencyMs: number;
  /** The error code when the request failed. */
  error: string | undefined;
  /** The door of the latest call (`chat`, `responses`, `messages`), when it came in by one. */
  door?: Door;
  /** Set when an attempt of the latest call was served by a provider its policy excludes (`policy_violation`). */
  policyViolation?: true;
  /** The rules `conditional` routes matched in the latest call, as `route:rule` (`smart:0`, `smart:default`). */
  rules?: string[];
}

/** What {@link traceLogRecord} makes a line of. */
export interface TraceLogInput {
  method: string;
  path: string;
  status: number;
  /** @default false */
  stream?: boolean;
  /**
   * The key's name, when the adapter knows it.
   * @default the caller's key of the latest trace
   */
  key?: string | undefined;
  /**
   * The traces of the request's calls, oldest first: one for a gateway request, as many as the
   * handler made (a request client's `traces`), none for a request refused before routing.
   */
  traces?: RoutingTrace | readonly RoutingTrace[] | undefined;
  /**
   * What the request failed with: an error, whose `code` is logged (`internal` when it has none),
   * or the code itself.
   */
  error?: unknown;
  /** `performance.now()` when the request came in. */
  started: number;
}

const NO_TRACES: readonly RoutingTrace[] = [];

/** The code an error is logged under. */
function errorCode(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  if (typeof error === 'string') return error;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'internal';
}

/**
 * The log line of a request from its routing traces rather than from its response headers: the
 * latest call's id, route, served model and provider and fallback; the attempts and the cost of
 * every call; the latency; the error code.
 * @example logger.info(traceLogRecord({ method, path, status: 200, traces: client.traces, started }))
 */
export function traceLogRecord(input: TraceLogInput): TraceLogRecord {
  const traces: readonly RoutingTrace[] =
    input.traces === undefined ? NO_TRACES : 'id' in input.traces ? [input.traces] : input.traces;
  const latest = traces.at(-1);
  let attempts = 0;
  for (const trace of traces) attempts += trace.attempts.length;
  return {
    method: input.method,
    path: input.path,
    status: input.status,
    stream: input.stream ?? false,
    key: input.key ?? latest?.caller.key,
    requestId: latest?.id,
    route: latest === undefined ? undefined : (latest.route ?? latest.requestedModel),
    model: latest?.served?.returnedModel,
    provider: latest?.served?.provider,
    attempts,
    fallback: latest === undefined ? false : latest.fallback || latest.escalated,
    costUsd:
      traces.length <= 1
        ? (latest?.costUsd ?? '0')
        : formatUsd(traces.reduce((sum, trace) => sum + parseUsd(trace.costUsd), 0n)),
    latencyMs: Math.round((performance.now() - input.started) * 1000) / 1000,
    error: errorCode(input.error),
    ...(latest?.cache === undefined ? {} : { cache: latest.cache }),
    ...(latest?.door === undefined ? {} : { door: latest.door }),
    ...(latest?.policyViolation === true ? { policyViolation: true as const } : {}),
    ...(latest?.rules === undefined
      ? {}
      : { rules: latest.rules.map((each) => `${each.route}:${each.rule}`) }),
  };
}
