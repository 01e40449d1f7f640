import { type Context, context as otelContext } from '@opentelemetry/api';
import type { CacheMode } from '../cache/cache-mode.js';
import type { BudgetConfig } from '../config/config-types.js';
import { RoutingError } from '../errors/routing-error.js';
import type { ProviderPolicy } from '../policy/provider-policy.js';
import { readRequestPolicy } from '../policy/read-request-policy.js';
import { parseUsd } from '../pricing/money.js';
import type { RequestHeaders } from '../routing/conditions/compile-condition.js';
import type { Operation } from '../routing/operation.js';
import type { RequestProfile } from '../routing/request-profile.js';
import type { ModelTarget, RouteTarget, Target } from '../routing/target.js';
import type { TargetRegistry } from '../routing/target-registry.js';
import type { Caller } from '../spend/spend-scope.js';
import type { Door } from '../trace/door.js';
import { newTrace } from '../trace/new-trace.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import { Cancellation, type CancelSignal } from '../transport/cancel-signal.js';
import type { ChatRequest } from '../types/chat.js';
import type { EmbeddingRequest } from '../types/embeddings.js';
import { toValidator, type ValidatorLike } from '../validators/validators-from-config.js';
import { AttemptBody } from './attempt-body.js';
import { Interruption } from './interruption.js';
import { OPERATION_REQUESTS } from './operation-requests.js';
import type { Execution } from './request-execution.js';
import { openRetryBudget } from './retry-budget.js';
import type { RouterSettings } from './router-settings.js';
import type { Scope } from './scope.js';

/** Options of one call. */
export interface CallOptions {
  /**
   * Aborts the call, including the upstream request in flight. An `AbortSignal`, or the lighter
   * {@link CancelSignal} (an `AbortSignal` listener measurably adds latency on a hot path).
   */
  signal?: AbortSignal | CancelSignal;
  /** Total deadline for this call in ms (overrides `timeouts.totalMs`). */
  timeoutMs?: number;
  /** Validators for this call only, added to the route's. */
  validate?: ValidatorLike[];
  /** Who is calling: budgets, rate limits and the ledger count by it. `user` defaults to the request's `user`. */
  caller?: Caller;
  /** A cost ceiling for this call in USD (the lower of it and `maxCostPerRequest` applies). */
  maxCostUsd?: string;
  /** Budgets for this call, on top of the configured ones (e.g. an adapter's per-route budget). */
  budgets?: BudgetConfig[];
  /**
   * What the answer cache may do for this call, where its route caches: `refresh` skips the
   * lookup but stores the new answer (HTTP `Cache-Control: no-cache`), `bypass` neither looks nor
   * stores (`no-store`).
   * @default 'default'
   */
  cache?: CacheMode;
  /** The gateway door the call came in by, kept on the trace and the ledger entries. */
  door?: Door;
  /**
   * Pins the call to one model target of what `request.model` names: an alias or raw model id the
   * route reaches (through nested routes too), by the name the route lists it under. Only that
   * target is called, as the route would call it (budgets, limits, retries, the trace with the
   * route's name), without falling back to the others and without the route's validators (the
   * call's own run). A name the route does not reach is an `invalid_request`. `switchyard probe`
   * tests each target of a route this way.
   * @example router.chat({ model: 'default', messages }, { target: 'cheap' })
   */
  target?: string;
  /**
   * A provider policy this call must keep (a gateway key's `providerPolicy`): merged over the
   * route's, the alias's and the request's own `provider` object, so the request may tighten it
   * but never loosen it.
   */
  policy?: ProviderPolicy;
  /**
   * The request's HTTP headers by lower-case name, for `conditional` routes' `header.<name>`
   * rules (which may never read `authorization`, `proxy-authorization`, `x-api-key` or `cookie`).
   * The gateway passes only the headers some rule names (`router.headerNames`), none when no rule
   * reads one.
   */
  headers?: RequestHeaders;
  /**
   * The OpenTelemetry context whose span the call's attempt spans are children of (the gateway's
   * server span passes its own, without relying on async context propagation).
   * @default context.active()
   */
  traceContext?: Context;
}

/** A request ready to route: its state, the target tree it resolved to, and the root scope. */
export interface StartedExecution {
  readonly execution: Execution;
  readonly root: Target;
  readonly scope: Scope;
  /** Stops following the caller's signal; call once the request is over. */
  readonly end: () => void;
}

const NO_POLICIES: readonly ProviderPolicy[] = Object.freeze([]);

/** Name of the route built from a request's `models` list (not a valid config name: never clashes). */
const AD_HOC_CHAIN = '';

/** A cancellation for one call that aborts when the caller's signal does, keeping its reason. */
function followCaller(signal: AbortSignal | CancelSignal | undefined): {
  cancellation: Cancellation;
  detach: () => void;
} {
  if (signal === undefined) return { cancellation: new Cancellation(), detach: () => undefined };
  if ('onAbort' in signal) {
    const cancellation = new Cancellation();
    const detach = signal.onAbort((reason) => cancellation.abort(new Interruption('caller', reason)));
    return { cancellation, detach };
  }
  return Cancellation.fromAbortSignal(signal, new Interruption('caller', signal.reason));
}

const fail = (trace: RoutingTrace, code: 'invalid_request' | 'no_route', message: string): RoutingError =>
  new RoutingError({ code, message, trace });

/**
 * The target tree for a request: its model, or its ad-hoc `models` chain. A name of the chain that
 * is no route, alias or model is passed over (`unknown_model` in the trace's skips); only a chain
 * of unknown names is a `no_route`.
 */
function resolveRoot(
  registry: TargetRegistry,
  request: Pick<ChatRequest, 'model' | 'models'>,
  trace: RoutingTrace,
): Target {
  const single = registry.resolve(request.model);
  if (single !== undefined && !Array.isArray(request.models)) return single;
  const names = [request.model, ...(Array.isArray(request.models) ? request.models : [])].filter(
    (name, index, all) => all.indexOf(name) === index,
  );
  const targets: Target[] = [];
  for (const name of names) {
    const target = registry.resolve(name);
    if (target !== undefined) targets.push(target);
    else trace.skipped.push({ target: name, reason: 'unknown_model' });
  }
  if (targets.length === 0) {
    const unknown = names.map((name) => `"${name}"`).join(', ');
    throw fail(trace, 'no_route', `unknown model or route ${unknown}`);
  }
  if (targets.length === 1) return targets[0] as Target;
  const chain: RouteTarget = {
    kind: 'route',
    name: AD_HOC_CHAIN,
    strategy: 'fallback',
    entries: targets.map((target) => ({ target, weight: 1 })),
    validators: [],
    hedgeAfterMs: 0,
  };
  return chain;
}

/** The model target named `name` that `root` reaches (itself, or through its routes). */
function pinTarget(
  root: Target,
  name: string,
  trace: RoutingTrace,
): { target: ModelTarget; policies: ProviderPolicy[] } {
  const seen = new Set<Target>();
  // The routes' provider policies on the way down, outermost first, as routing would merge them.
  const policies: ProviderPolicy[] = [];
  const find = (target: Target): ModelTarget | undefined => {
    if (target.kind === 'model') return target.name === name ? target : undefined;
    if (seen.has(target)) return undefined;
    seen.add(target);
    if (target.policy !== undefined) policies.push(target.policy);
    for (const entry of target.entries) {
      const found = find(entry.target);
      if (found !== undefined) return found;
    }
    if (target.policy !== undefined) policies.pop();
    return undefined;
  };
  const found = find(root);
  if (found === undefined) {
    const what =
      root.kind === 'route' && root.name !== AD_HOC_CHAIN
        ? `route "${root.name}"`
        : `"${trace.requestedModel}"`;
    throw fail(trace, 'invalid_request', `target "${name}" is not a target of ${what}`);
  }
  return { target: found, policies };
}

/**
 * The request's upstream body and profile, both built from it once here: a request JSON cannot
 * hold is an `invalid_request` of the caller before any attempt (no retry, no breaker counted).
 */
function serializeRequest(
  request: ChatRequest & EmbeddingRequest,
  options: { stream: boolean; operation: Operation; trace: RoutingTrace },
): { body: AttemptBody; profile: RequestProfile } {
  const { trace } = options;
  try {
    const body = new AttemptBody(request, options.stream);
    body.prepare();
    return { body, profile: OPERATION_REQUESTS[options.operation].profile(request) };
  } catch (error) {
    const why =
      error instanceof RangeError
        ? 'it is nested too deeply'
        : error instanceof TypeError
          ? error.message.split('\n')[0]
          : String(error);
    throw fail(trace, 'invalid_request', `the request cannot be serialized as JSON: ${why}`);
  }
}

/**
 * Checks a request and its call options, resolves its model to a target tree, and opens its
 * {@link Execution}: the trace, the deadline, the caller, the spending limits. Throws a
 * {@link RoutingError} (`invalid_request`, `no_route`) carrying the new trace.
 */
export function startExecution(input: {
  settings: RouterSettings;
  registry: TargetRegistry;
  request: ChatRequest | EmbeddingRequest;
  options: CallOptions;
  stream: boolean;
  /** @default 'chat' */
  operation?: Operation;
}): StartedExecution {
  const { settings, options } = input;
  const operation = input.operation ?? 'chat';
  // Either shape: the operation's own checks below tell which fields it must hold.
  const request = input.request as ChatRequest & EmbeddingRequest;
  const { clock } = settings;
  const startedAt = clock.monotonic();
  const caller: Caller = {
    ...options.caller,
    ...(options.caller?.user === undefined && typeof request?.user === 'string'
      ? { user: request.user }
      : {}),
  };
  const trace = newTrace({
    requestedModel: typeof request?.model === 'string' ? request.model : '',
    startedAt: clock.now(),
    caller,
    operation,
    door: options.door,
  });
  let maxCost: bigint | undefined;
  if (options.maxCostUsd !== undefined) {
    try {
      maxCost = parseUsd(options.maxCostUsd);
    } catch {
      throw fail(
        trace,
        'invalid_request',
        `maxCostUsd must be a USD decimal string, got "${options.maxCostUsd}"`,
      );
    }
  }
  if (typeof request !== 'object' || request === null)
    throw fail(trace, 'invalid_request', 'the request must be an object');
  if (typeof request.model !== 'string' || request.model === '') {
    throw fail(trace, 'invalid_request', '"model" must name a route, an alias or a model id');
  }
  const problem = OPERATION_REQUESTS[operation].problem(request);
  if (problem !== undefined) throw fail(trace, 'invalid_request', problem);
  let requestPolicy: ProviderPolicy | undefined;
  if (request.provider !== undefined && request.provider !== null) {
    const read = readRequestPolicy(request.provider);
    if ('problem' in read) throw fail(trace, 'invalid_request', read.problem);
    requestPolicy = read.policy;
  }
  const resolved = resolveRoot(input.registry, request, trace);
  if (resolved.kind === 'route') {
    trace.route = resolved.name === AD_HOC_CHAIN ? undefined : resolved.name;
    trace.strategy = resolved.strategy;
  }
  const pinned = options.target === undefined ? undefined : pinTarget(resolved, options.target, trace);
  const root = pinned === undefined ? resolved : pinned.target;
  const totalMs = options.timeoutMs ?? settings.timeouts.totalMs;
  const { body, profile } = serializeRequest(request, { stream: input.stream, operation, trace });
  const { cancellation, detach } = followCaller(options.signal);
  const callValidators = (options.validate ?? []).map(toValidator);
  const execution: Execution = {
    settings,
    operation,
    request,
    profile,
    stream: input.stream,
    trace,
    body,
    startedAt,
    deadlineAt: startedAt + totalMs,
    callValidators,
    caller,
    call: {
      ...(maxCost === undefined ? {} : { maxCost }),
      ...(options.budgets === undefined ? {} : { budgets: options.budgets }),
    },
    failures: [],
    cost: 0n,
    fee: 0n,
    budgetDenial: undefined,
    pending: [],
    // Taken here, not when an attempt starts: a hedge starts from a timer, outside the call's context.
    otelContext: options.traceContext ?? otelContext.active(),
    // A pinned call keeps its route's retry budget (rounds, attempts), as the route would call it.
    retries: openRetryBudget(settings.retry, resolved),
    policies: { key: options.policy, request: requestPolicy },
    fallbacksStopped: false,
    headers: options.headers,
  };
  const scope: Scope = {
    signal: cancellation,
    validators: callValidators,
    hasAlternatives: () => false,
    policies: pinned === undefined ? NO_POLICIES : pinned.policies,
  };
  return { execution, root, scope, end: detach };
}
