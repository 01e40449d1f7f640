import { replayChunks } from '../cache/replay-chunks.js';
import type { CacheFill, CacheHit, ResponseCache } from '../cache/response-cache.js';
import type { RoutingError } from '../errors/routing-error.js';
import type { Operation } from '../routing/operation.js';
import type { TargetRegistry } from '../routing/target-registry.js';
import { isRouteSurprise } from '../trace/new-trace.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import type { ChatChunk, ChatRequest, ChatResponse } from '../types/chat.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../types/embeddings.js';
import type { Served } from './attempt.js';
import { closeTrace, type Execution, flushPending } from './request-execution.js';
import type { NotServed, RunResult } from './route-request.js';
import { RoutedStream } from './routed-stream.js';
import { emit } from './router-hooks.js';
import type { RouterSettings } from './router-settings.js';
import { type RequestEnding, routingFailure } from './routing-failure.js';
import { runRounds } from './run-rounds.js';
import { routeScope } from './scope.js';
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

/** A successful `router.embed` call. */
export interface EmbeddingResult {
  /**
   * The upstream's answer, unchanged: one vector per input, as numbers (or base64 strings when the
   * request asked for `encoding_format: "base64"`).
   */
  response: EmbeddingResponse;
  /** How it was routed: served target, attempts, cost. */
  trace: RoutingTrace;
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
  const upstreamProvider = record.upstreamProvider;
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

/** Opens a call's execution; a request rejected before routing is told to the hooks. */
function start(
  context: RouterContext,
  call: {
    request: ChatRequest | EmbeddingRequest;
    options: CallOptions;
    stream: boolean;
    operation: Operation;
  },
): StartedExecution {
  try {
    return startExecution({
      settings: context.settings,
      registry: context.registry,
      request: call.request,
      options: call.options,
      stream: call.stream,
      operation: call.operation,
    });
  } catch (error) {
    emit(context.settings.hooks.onError, error as RoutingError);
    throw error;
  }
}

/** Ends a call that was not served: awaits its writes, then builds its one error. */
async function notServed(started: StartedExecution, ending: RequestEnding): Promise<RoutingError> {
  started.end();
  await flushPending(started.execution);
  return failWith(started.execution, ending);
}

/** How a run that did not serve ended, for {@link routingFailure}. */
function endingOf(result: NotServed): RequestEnding {
  return result.kind === 'failed' ? { kind: 'not_served', error: result.error } : { kind: 'not_served' };
}

/** Runs a call's target tree: the served attempt, or the one error of a call that was not served. */
async function serve(started: StartedExecution): Promise<Served> {
  let result: RunResult;
  try {
    result = await runRounds(started.execution, started.root, started.scope);
  } catch (error) {
    throw await notServed(started, { kind: 'thrown', error });
  }
  if (result.kind === 'skipped' || result.kind === 'failed') throw await notServed(started, endingOf(result));
  return result;
}

/**
 * The call's cache mode. A call pinned to one target neither reads nor stores: the key names the
 * route, whose answers any of its targets may have given.
 */
function cacheModeOf(options: CallOptions): CallOptions['cache'] {
  return options.target === undefined ? options.cache : 'bypass';
}

/** What a call without an answer cache looks up: nothing (no promise on the uncached path). */
const NO_LOOKUP: { hit?: CacheHit; fill?: CacheFill } = Object.freeze({});

/**
 * Looks the call up in the answer cache, when its route has one: a hit that may be served comes
 * back as the call's answer; otherwise what to store the routed answer under, if anything.
 */
async function lookUp(
  cache: ResponseCache,
  started: StartedExecution,
  mode: CallOptions['cache'],
): Promise<{ hit?: CacheHit; fill?: CacheFill }> {
  const { execution, root, scope } = started;
  const found = cache.lookup({ execution, root, mode });
  const lookup = found instanceof Promise ? await found : found;
  if (lookup === undefined || lookup.kind === 'bypass') return {};
  if (lookup.kind === 'hit') {
    // The call's validators, then the named route's, as routing would apply them.
    const validators = root.kind === 'route' ? routeScope(scope, root).validators : scope.validators;
    const hit = await cache.serve({ execution, hit: lookup, validators });
    if (hit !== undefined) return { hit };
  }
  return { fill: lookup };
}

/** The answer of a whole call of each kind. */
type WholeResponse<K extends 'response' | 'embeddings'> = K extends 'response'
  ? ChatResponse
  : EmbeddingResponse;

/**
 * A whole (non-streamed) call of either operation: starts it, serves a chat from the answer cache
 * or runs its target tree, and turns how that ended into the served answer or the one error.
 * Settlements, ledger writes and the cache's write are awaited before either. Embeddings are not
 * cached: the answer cache keys and replays chat answers.
 */
async function routeWhole<K extends 'response' | 'embeddings'>(
  context: RouterContext,
  call: { request: ChatRequest | EmbeddingRequest; options: CallOptions; operation: Operation; kind: K },
): Promise<{ response: WholeResponse<K>; parsed: unknown; trace: RoutingTrace }> {
  const started = start(context, {
    request: call.request,
    options: call.options,
    operation: call.operation,
    stream: false,
  });
  const { execution } = started;
  const cache = call.operation === 'chat' ? context.settings.cache : undefined;
  const { hit, fill } =
    cache === undefined ? NO_LOOKUP : await lookUp(cache, started, cacheModeOf(call.options));
  if (hit !== undefined) {
    started.end();
    await flushPending(execution);
    const trace = closeTrace(execution);
    emit(context.settings.hooks.onResult, trace);
    return { response: hit.response as WholeResponse<K>, trace, parsed: hit.parsed };
  }
  const result = await serve(started);
  if (result.kind !== call.kind) throw new TypeError(`a ${call.operation} call produced a ${result.kind}`);
  markServed(execution, result);
  if (fill !== undefined && result.kind === 'response')
    cache?.fill({
      execution,
      lookup: fill,
      response: result.response,
      record: result.attempt.record,
    });
  started.end();
  const flushing = flushPending(execution);
  if (flushing !== undefined) await flushing;
  const trace = closeTrace(execution);
  emit(context.settings.hooks.onResult, trace);
  // Not a stream: `kind` was checked above.
  const served = result as Extract<Served, { kind: 'response' | 'embeddings' }>;
  return { response: served.response as WholeResponse<K>, parsed: served.parsed, trace };
}

/** `router.chat`: a whole chat completion. */
export async function routeChat(
  context: RouterContext,
  call: { request: ChatRequest; options: CallOptions },
): Promise<ChatResult> {
  const { response, trace, parsed } = await routeWhole(context, {
    request: call.request,
    options: call.options,
    operation: 'chat',
    kind: 'response',
  });
  return { response, trace, parsed };
}

/** `router.embed`: embeddings, through the same loop as a chat (fallback, retries, budgets, limits). */
export async function routeEmbed(
  context: RouterContext,
  call: { request: EmbeddingRequest; options: CallOptions },
): Promise<EmbeddingResult> {
  const { response, trace } = await routeWhole(context, {
    request: call.request,
    options: call.options,
    operation: 'embeddings',
    kind: 'embeddings',
  });
  return { response, trace };
}

/**
 * `router.stream`: as {@link routeChat}, resolving once a target sent its first content chunk; a
 * cache hit is replayed as the chunks of a stream, and a miss is stored once its stream completed.
 */
export async function routeStream(
  context: RouterContext,
  call: { request: ChatRequest; options: CallOptions },
): Promise<RoutedStream> {
  const started = start(context, {
    request: call.request,
    options: call.options,
    operation: 'chat',
    stream: true,
  });
  const { execution, end } = started;
  const onEnd = (error: RoutingError | undefined): void => {
    end();
    closeTrace(execution);
    if (error === undefined) emit(context.settings.hooks.onResult, execution.trace);
    else emit(context.settings.hooks.onError, error);
  };
  const cache = context.settings.cache;
  const { hit, fill } =
    cache === undefined ? NO_LOOKUP : await lookUp(cache, started, cacheModeOf(call.options));
  if (hit !== undefined)
    return new RoutedStream({ execution, replay: replayChunks(hit.response), parsed: hit.parsed, onEnd });
  const result = await serve(started);
  if (result.kind !== 'stream') throw new TypeError('a streamed call produced a response');
  markServed(execution, result);
  return new RoutedStream({
    execution,
    stream: result.stream,
    parsed: result.parsed,
    onEnd,
    ...(fill === undefined || cache === undefined
      ? {}
      : {
          onComplete: (chunks: readonly ChatChunk[]) =>
            cache.fillFromStream({ execution, lookup: fill, chunks, record: result.attempt.record }),
        }),
  });
}
