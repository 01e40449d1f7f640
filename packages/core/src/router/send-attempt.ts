import { AttemptError } from '../errors/attempt-error.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import {
  classifyHttpFailure,
  classifyThrown,
  classifyWireError,
  type FailureSource,
} from '../outcome/classify-failure.js';
import type { HeaderBag } from '../retry/retry-after.js';
import type { ModelTarget } from '../routing/target.js';
import type { Admission } from '../spend/spend-policy.js';
import { assembleCompletion } from '../stream/assemble-completion.js';
import { SseEventReader } from '../stream/sse-event-reader.js';
import { type StallWatchdog, startStallWatchdog } from '../stream/stall-watchdog.js';
import type { AttemptTrace } from '../trace/routing-trace.js';
import type { Cancellation } from '../transport/cancel-signal.js';
import type { TransportResponse } from '../transport/transport.js';
import type { ChatChunk, ChatResponse } from '../types/chat.js';
import {
  attemptBody,
  type Execution,
  finishAttempt,
  readUsage,
  type Scope,
  settleCost,
  startAttempt,
} from './execution.js';
import { Interruption } from './interruption.js';

/** A stream whose first content reached the router: the caller may now see it. */
export interface UpstreamStream {
  /** Chunks read so far, in order, to hand out first. */
  readonly buffered: ChatChunk[];
  /** Reads the rest; undefined when the stream was read whole (validated streams). */
  readonly reader: SseEventReader | undefined;
  /** Aborts this attempt. */
  readonly controller: Cancellation;
  readonly watchdog: StallWatchdog | undefined;
  /** Detaches the attempt's signal from its parent. */
  readonly unlink: () => void;
  /** Monotonic ms when the attempt started. */
  readonly startedAt: number;
  readonly source: FailureSource;
  finishSeen: boolean;
  usage: ChatChunk['usage'] | undefined;
}

/** A successful attempt. */
export type Served =
  | { kind: 'response'; target: ModelTarget; attempt: AttemptTrace; response: ChatResponse }
  | { kind: 'stream'; target: ModelTarget; attempt: AttemptTrace; stream: UpstreamStream };

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function invalidResponse(source: FailureSource, what: string): AttemptError {
  return new AttemptError({
    code: 'invalid_response',
    message: `${source.label} sent an invalid answer: ${what}`,
  });
}

/** Turns whatever an attempt threw into an AttemptError, or the Interruption that stopped it. */
export function toFailure(
  error: unknown,
  signal: Cancellation,
  options: { source: FailureSource; attemptMs: number; stallMs: number },
): AttemptError | Interruption {
  if (error instanceof AttemptError) return error;
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  if (Interruption.isInstance(reason)) {
    if (reason.kind === 'attempt_timeout') {
      return new AttemptError({
        code: 'timeout',
        message: `${options.source.label} did not answer within ${options.attemptMs} ms`,
        cause: error,
      });
    }
    if (reason.kind === 'stall') {
      return new AttemptError({
        code: 'timeout',
        message: `${options.source.label} stalled: no data for ${options.stallMs} ms`,
        cause: error,
      });
    }
    return reason;
  }
  if (SwitchyardError.isInstance(error)) return error as AttemptError;
  return classifyThrown(error, options.source);
}

function hasContent(chunk: ChatChunk): boolean {
  const delta = chunk.choices?.[0]?.delta;
  if (delta === undefined) return false;
  return (
    (typeof delta.content === 'string' && delta.content !== '') ||
    (typeof delta.refusal === 'string' && delta.refusal !== '') ||
    (delta.tool_calls?.length ?? 0) > 0
  );
}

/** Checks a 2xx non-streamed body: an error body, no choices and `finish_reason: "error"` are failures. */
function readCompletion(text: string, options: { source: FailureSource; headers: HeaderBag }): ChatResponse {
  let parsed: ChatResponse & { error?: Record<string, unknown> };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidResponse(options.source, 'body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw invalidResponse(options.source, 'body is not an object');
  if (parsed.error !== undefined) {
    throw classifyWireError({
      error: parsed.error,
      status: 200,
      headers: options.headers,
      source: options.source,
      context: 'HTTP 200 with an error body',
    });
  }
  if (!Array.isArray(parsed.choices) || parsed.choices.length === 0)
    throw invalidResponse(options.source, 'no choices');
  if ((parsed.choices[0]?.finish_reason as string | undefined) === 'error') {
    throw new AttemptError({
      code: 'upstream_unavailable',
      message: `${options.source.label} failed during generation (finish_reason "error")`,
    });
  }
  return parsed;
}

async function validate(
  execution: Execution,
  scope: Scope,
  input: { response: ChatResponse; target: ModelTarget; source: FailureSource },
): Promise<void> {
  if (scope.validators.length === 0) return;
  const message = input.response.choices[0]?.message;
  const text = typeof message?.content === 'string' ? message.content : '';
  for (const validator of scope.validators) {
    const verdict = await validator.validate({
      response: input.response,
      text,
      request: execution.request,
      sentModel: input.target.model,
    });
    if (!verdict.ok) {
      throw new AttemptError({
        code: 'bad_output',
        message: `${input.source.label} answer rejected by ${validator.name}: ${verdict.reason}`,
      });
    }
  }
}

async function readErrorBody(response: TransportResponse, source: FailureSource): Promise<never> {
  const bodyText = await response.text();
  throw classifyHttpFailure({ status: response.status, headers: response.headers, bodyText, source });
}

/**
 * Sends one attempt to one model target and classifies its outcome. For a stream, returns once the
 * first content chunk arrived (or, when validators apply, once the whole stream arrived and passed).
 * Throws an {@link AttemptError}, or the {@link Interruption} that aborted it.
 */
export async function sendAttempt(
  execution: Execution,
  options: { target: ModelTarget; scope: Scope; retry: number; admission: Admission | undefined },
): Promise<Served> {
  const { target, scope } = options;
  const { settings } = execution;
  const attempt = startAttempt(execution, { target, retry: options.retry, admission: options.admission });
  const startedAt = settings.clock.monotonic();
  const source: FailureSource = {
    label: `${target.name} (${target.provider}/${target.model})`,
    secrets: settings.secrets,
    now: settings.clock.now(),
  };
  const { cancellation: controller, detach: unlink } = scope.signal.child();
  const remaining = execution.deadlineAt - performance.now();
  const attemptMs = Math.max(1, Math.min(settings.timeouts.attemptMs, remaining));
  const timeoutKind = remaining < settings.timeouts.attemptMs ? 'deadline' : 'attempt_timeout';
  let cancelTimer: (() => void) | undefined = settings.scheduler.schedule(attemptMs, () =>
    controller.abort(new Interruption(timeoutKind)),
  );
  let handedOver = false;
  let watchdog: StallWatchdog | undefined;
  try {
    const response = await settings.transport.send({
      endpoint: target.endpoint,
      body: attemptBody(execution, target.model),
      stream: execution.stream,
      signal: controller,
    });
    attempt.status = response.status;
    attempt.generationId = header(response.headers, 'x-generation-id');
    if (response.status < 200 || response.status >= 300) return await readErrorBody(response, source);

    if (!execution.stream) {
      const completion = readCompletion(await response.text(), { source, headers: response.headers });
      attempt.returnedModel = completion.model;
      attempt.generationId ??= completion.id;
      settleCost(execution, attempt, { target, usage: readUsage(completion.usage) });
      await validate(execution, scope, { response: completion, target, source });
      attempt.outcome = 'success';
      return { kind: 'response', target, attempt, response: completion };
    }

    const contentType = header(response.headers, 'content-type') ?? '';
    if (!contentType.includes('text/event-stream')) {
      readCompletion(await response.text(), { source, headers: response.headers });
      throw invalidResponse(source, `expected an event stream, got "${contentType}"`);
    }
    const reader = new SseEventReader(response.chunks());
    const validating = scope.validators.length > 0;
    const stream: UpstreamStream = {
      buffered: [],
      reader: validating ? undefined : reader,
      controller,
      watchdog: undefined,
      unlink,
      startedAt,
      source,
      finishSeen: false,
      usage: undefined,
    };
    for (;;) {
      const chunk = await nextChunk(stream, { reader, context: 'before its first content' });
      if (chunk === undefined) break;
      attempt.returnedModel ??= chunk.model;
      attempt.generationId ??= chunk.id;
      stream.buffered.push(chunk);
      if (attempt.firstChunkMs === undefined && hasContent(chunk)) {
        attempt.firstChunkMs = Math.round((settings.clock.monotonic() - startedAt) * 1000) / 1000;
        if (!validating) break;
      }
    }
    cancelTimer();
    cancelTimer = undefined;
    if (validating) {
      const completion = assembleCompletion(stream.buffered);
      settleCost(execution, attempt, { target, usage: readUsage(stream.usage) });
      await validate(execution, scope, { response: completion, target, source });
      attempt.outcome = 'success';
      return { kind: 'stream', target, attempt, stream };
    }
    watchdog = startStallWatchdog({
      stallMs: settings.timeouts.stallMs,
      now: () => settings.clock.monotonic(),
      onStall: () => controller.abort(new Interruption('stall')),
    });
    handedOver = true;
    attempt.outcome = 'success';
    return { kind: 'stream', target, attempt, stream: { ...stream, watchdog } };
  } catch (error) {
    const failure = toFailure(error, controller, {
      source,
      attemptMs,
      stallMs: settings.timeouts.stallMs,
    });
    if (!controller.aborted) controller.abort(failure);
    if (failure instanceof Interruption) {
      attempt.outcome = 'aborted';
      attempt.hedgeLoser = failure.kind === 'hedge_loser';
      attempt.message =
        failure.kind === 'hedge_loser' ? 'aborted: lost the hedge race' : `aborted: ${failure.kind}`;
    } else {
      attempt.outcome = failure.code;
      attempt.message = failure.message;
    }
    if (attempt.usage === undefined && !attempt.costEstimated) {
      // An upstream that took the prompt and was then cut off (timeout, stall, abort) bills it.
      const billed = failure instanceof Interruption || failure.code === 'timeout';
      settleCost(execution, attempt, { target, usage: undefined, estimatePrompt: billed });
    }
    throw failure;
  } finally {
    cancelTimer?.();
    if (!handedOver) {
      unlink();
      watchdog?.stop();
      finishAttempt(execution, attempt, startedAt);
    }
  }
}

/**
 * Reads the next chunk of an upstream stream and checks it: undefined at the stream's proper end;
 * an error chunk, `finish_reason: "error"`, bad JSON or an end without a finish reason throw a
 * classified {@link AttemptError}. Tracks the finish reason and the usage chunk.
 */
export async function nextChunk(
  stream: UpstreamStream,
  options: { reader: SseEventReader; context: string },
): Promise<ChatChunk | undefined> {
  const { source } = stream;
  const data = await options.reader.next();
  if (data === undefined || data === '[DONE]') {
    if (!stream.finishSeen) {
      throw invalidResponse(
        source,
        `the stream ${data === undefined ? 'broke off' : 'ended'} without a finish reason`,
      );
    }
    return undefined;
  }
  let chunk: ChatChunk & { error?: Record<string, unknown> };
  try {
    chunk = JSON.parse(data);
  } catch {
    throw invalidResponse(source, 'a stream chunk is not JSON');
  }
  if (chunk.error !== undefined) {
    throw classifyWireError({
      error: chunk.error,
      status: 200,
      headers: {},
      source,
      context: `an error chunk ${options.context}`,
    });
  }
  const finishReason = chunk.choices?.[0]?.finish_reason as string | null | undefined;
  if (finishReason === 'error') {
    throw new AttemptError({
      code: 'upstream_unavailable',
      message: `${source.label} failed during generation (finish_reason "error" ${options.context})`,
    });
  }
  if (finishReason) stream.finishSeen = true;
  if (chunk.usage) stream.usage = chunk.usage;
  return chunk;
}

/**
 * Releases a successful attempt that will not be used (it lost a hedge race by a photo finish):
 * a committed stream is aborted and its attempt closed; a full answer keeps its (billed) cost.
 */
export function releaseServed(execution: Execution, served: Served): void {
  served.attempt.hedgeLoser = true;
  if (served.kind !== 'stream' || served.stream.reader === undefined) return;
  const { stream, attempt } = served;
  stream.controller.abort(new Interruption('hedge_loser'));
  stream.watchdog?.stop();
  stream.unlink();
  attempt.outcome = 'aborted';
  attempt.message = 'aborted: lost the hedge race';
  settleCost(execution, attempt, { target: served.target, usage: undefined, estimatePrompt: true });
  finishAttempt(execution, attempt, stream.startedAt);
}
