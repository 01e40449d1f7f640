import type { RoutingError } from '../errors/routing-error.js';
import type { TargetRegistry } from '../routing/target-registry.js';
import { isRouteSurprise } from '../trace/new-trace.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import type { Served } from './attempt.js';
import { closeTrace, type Execution, flushPending } from './request-execution.js';
import { type RunResult, runTarget } from './route-request.js';
import { RoutedStream } from './routed-stream.js';
import { emit } from './router-hooks.js';
import type { RouterSettings } from './router-settings.js';
import { type RequestEnding, routingFailure } from './routing-failure.js';
import { type CallOptions, type StartedExecution, startExecution } from './start-execution.js';

/** A successful non-streamed call. */
export interface ChatResult {
  /** The upstream's answer, unchanged. */
  response: ChatResponse;
  /** How it was routed: served target, attempts, cost. */
  trace: RoutingTrace;
  /**
   * The value the validators parsed from the answer: a schema's output (zod transforms applied)
   * or the JSON; the first parsing validator decides, the call's own before the route's.
   * Undefined when no validator parses.
   */
  parsed: unknown;
}

/** What every call of one router shares. */
export interface RouterContext {
  readonly settings: RouterSettings;
  readonly registry: TargetRegistry;
}

/** Names who served in the trace, and whether the upstream served another model than the one sent. */
function markServed(execution: Execution, served: Served): void {
  const { record, target } = served.attempt;
  const returnedModel = record.returnedModel ?? target.model;
  const upstreamProvider =
    served.kind === 'response' ? served.response.provider : served.stream.buffered[0]?.provider;
  execution.trace.served = {
    target: target.name,
    provider: target.provider,
    model: target.model,
    returnedModel,
    upstreamProvider,
  };
  execution.trace.routeSurprise = isRouteSurprise(target.model, returnedModel);
}

/** The error a request that was not served ends with; told to the hooks. */
function failWith(execution: Execution, ending: RequestEnding): RoutingError {
  const error = routingFailure({
    trace: closeTrace(execution),
    ending,
    failures: execution.failures,
    budgetDenial: execution.budgetDenial,
    deadlineMs: execution.deadlineAt - execution.startedAt,
    promptTokens: () => execution.profile.promptTokens(),
  });
  emit(execution.settings.hooks.onError, error);
  return error;
}

/**
 * Routes one call: starts its execution, runs its target tree, and turns how that ended into the
 * served result or the one error. Settlements and ledger writes are awaited before either.
 */
async function route(
  context: RouterContext,
  call: { request: ChatRequest; options: CallOptions; stream: boolean },
): Promise<{ started: StartedExecution; served: Served }> {
  let started: StartedExecution;
  try {
    started = startExecution({ ...context, ...call });
  } catch (error) {
    emit(context.settings.hooks.onError, error as RoutingError);
    throw error;
  }
  const { execution } = started;
  let result: RunResult;
  try {
    result = await runTarget(execution, started.root, started.scope);
  } catch (error) {
    started.end();
    await flushPending(execution);
    throw failWith(execution, { kind: 'thrown', error });
  }
  if (result.kind === 'skipped' || result.kind === 'failed') {
    started.end();
    await flushPending(execution);
    throw failWith(execution, {
      kind: 'not_served',
      ...(result.kind === 'failed' ? { error: result.error } : {}),
    });
  }
  markServed(execution, result);
  return { started, served: result };
}

/** `router.chat`: a whole answer. */
export async function routeChat(
  context: RouterContext,
  call: { request: ChatRequest; options: CallOptions },
): Promise<ChatResult> {
  const { started, served } = await route(context, { ...call, stream: false });
  const { execution } = started;
  started.end();
  if (served.kind !== 'response') throw new TypeError('a non-streamed call produced a stream');
  const flushing = flushPending(execution);
  if (flushing !== undefined) await flushing;
  const trace = closeTrace(execution);
  emit(context.settings.hooks.onResult, trace);
  return { response: served.response, trace, parsed: served.parsed };
}

/** `router.stream`: resolves once a target sent its first content chunk. */
export async function routeStream(
  context: RouterContext,
  call: { request: ChatRequest; options: CallOptions },
): Promise<RoutedStream> {
  const { started, served } = await route(context, { ...call, stream: true });
  const { execution, end } = started;
  if (served.kind !== 'stream') throw new TypeError('a streamed call produced a response');
  return new RoutedStream({
    execution,
    stream: served.stream,
    parsed: served.parsed,
    onEnd: (error) => {
      end();
      closeTrace(execution);
      if (error === undefined) emit(context.settings.hooks.onResult, execution.trace);
      else emit(context.settings.hooks.onError, error);
    },
  });
}
