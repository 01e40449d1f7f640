import type { Span } from '@opentelemetry/api';
import { AttemptError } from '../errors/attempt-error.js';
import { redactKnownSecrets } from '../errors/redact-secrets.js';
import { classifyHttpFailure, type FailureSource } from '../outcome/classify-failure.js';
import { servedProviderProblem } from '../policy/policy-check.js';
import type { AttemptPolicy } from '../policy/target-policy.js';
import type { Picodollars } from '../pricing/money.js';
import type { HeaderBag } from '../retry/retry-after.js';
import { embeddingInputs } from '../routing/embedding-profile.js';
import type { ModelTarget } from '../routing/target.js';
import { priceAttempt, readUsage, recordCost } from '../spend/attempt-cost.js';
import type { Admission } from '../spend/spend-policy.js';
import { writeDownAttempt } from '../spend/write-down-attempt.js';
import { assembleCompletion } from '../stream/assemble-completion.js';
import { type StallWatchdog, startStallWatchdog } from '../stream/stall-watchdog.js';
import {
  endAttemptSpan,
  recordAttemptMetrics,
  startAttemptSpan,
  traceHeadersOf,
} from '../telemetry/attempt-span.js';
import { newAttemptRecord } from '../trace/new-attempt-record.js';
import { isRouteSurprise } from '../trace/new-trace.js';
import type { AttemptTrace, UsageReport } from '../trace/routing-trace.js';
import type { Cancellation } from '../transport/cancel-signal.js';
import { ResponseTooLarge } from '../transport/response-too-large.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../types/embeddings.js';
import { type AttemptEnd, billedUnanswered, recordEnd, upstreamLimitMs } from './attempt-end.js';
import { toFailure } from './attempt-failure.js';
import { Interruption } from './interruption.js';
import { headerValue, readAnswerText, readCompletion } from './read-completion.js';
import { readEmbeddings } from './read-embeddings.js';
import type { Execution } from './request-execution.js';
import { emit } from './router-hooks.js';
import type { Scope } from './scope.js';
import { UpstreamStream } from './upstream-stream.js';
import { validateAnswer } from './validate-answer.js';

/** A whole answer, read and checked: a chat completion or embeddings. */
type WholeAnswer =
  | { kind: 'response'; response: ChatResponse }
  | { kind: 'embeddings'; response: EmbeddingResponse };

/** A successful attempt, with the value its validators parsed (undefined when none parsed). */
export type Served =
  | { kind: 'response'; attempt: Attempt; response: ChatResponse; parsed: unknown }
  | { kind: 'embeddings'; attempt: Attempt; response: EmbeddingResponse; parsed: undefined }
  | { kind: 'stream'; attempt: Attempt; stream: UpstreamStream; parsed: unknown };

/**
 * One call to one model target, from its admission to its ledger entry. `run` sends the request,
 * classifies the answer and validates it; `settle` prices it once; `finish` closes it exactly once
 * (outcome, latency, budget settlement, ledger, hooks), whoever calls it first: the attempt itself,
 * the stream that carries its answer, or a hedge that dropped it.
 */
export class Attempt {
  /** The attempt's record in the trace. */
  readonly record: AttemptTrace;
  readonly target: ModelTarget;
  /** Monotonic ms when the attempt started. */
  readonly startedAt: number;
  /** Names the target in messages; scrubs secrets. */
  readonly source: FailureSource;
  /** Aborts this attempt only. */
  readonly controller: Cancellation;
  /** The finish reason the answer gave (its first choice's), once seen. */
  finishReason: string | undefined;
  private readonly execution: Execution;
  /** The attempt's client span (a non-recording one without an OpenTelemetry SDK). */
  private readonly span: Span;
  /** The answer's messages, kept for the span only when it records message contents. */
  private output: unknown;
  private readonly admission: Admission | undefined;
  /** The provider policy it runs under, when any layer set one. */
  private readonly policy: AttemptPolicy | undefined;
  private readonly unlink: () => void;
  private watchdog: StallWatchdog | undefined;
  /** Cancels the stream's `maxStreamMs` timer. */
  private cancelStreamTimer: (() => void) | undefined;
  /** What the attempt cost, fee included, once settled. */
  private cost: Picodollars = 0n;
  private settled = false;
  private finished = false;

  constructor(
    execution: Execution,
    options: {
      target: ModelTarget;
      retry: number;
      admission: Admission | undefined;
      scope: Scope;
      policy?: AttemptPolicy | undefined;
    },
  ) {
    const { target, admission, policy } = options;
    this.policy = policy;
    const { settings, trace } = execution;
    this.execution = execution;
    this.target = target;
    this.admission = admission;
    this.startedAt = settings.clock.monotonic();
    this.source = {
      label: `${target.name} (${target.provider}/${target.model})`,
      secrets: settings.secrets,
      now: settings.clock.now(),
    };
    const { cancellation, detach } = options.scope.signal.child();
    this.controller = cancellation;
    this.unlink = detach;
    this.record = newAttemptRecord({
      index: trace.attempts.length,
      target,
      retry: options.retry,
      round: execution.retries.round,
      attemptsLeft: execution.retries.attemptsLeft,
      worstCaseUsd: admission?.worstCaseUsd,
    });
    if (policy !== undefined) this.record.policy = policy.policy;
    trace.attempts.push(this.record);
    this.span = startAttemptSpan(settings.telemetry, {
      operation: execution.operation,
      target,
      parent: execution.otelContext,
      request: execution.request,
      secrets: settings.secrets,
    });
  }

  /**
   * Sends the request and reads the answer: a whole completion, or a stream up to its first content
   * chunk (read whole when validators apply). Throws an {@link AttemptError}, or the
   * {@link Interruption} that aborted it. The attempt is finished on every path but a live stream,
   * which the `RoutedStream` carrying it finishes.
   */
  async run(scope: Scope): Promise<Served> {
    const { settings, stream: streaming } = this.execution;
    const { record, target, source, controller } = this;
    const remaining = this.execution.deadlineAt - settings.clock.monotonic();
    const attemptMs = Math.max(1, Math.min(settings.timeouts.attemptMs, remaining));
    const timeoutKind = remaining < settings.timeouts.attemptMs ? 'deadline' : 'attempt_timeout';
    const cancelTimer = settings.scheduler.schedule(attemptMs, () =>
      controller.abort(new Interruption(timeoutKind)),
    );
    try {
      const traceHeaders = traceHeadersOf(this.span, this.execution.otelContext);
      const body =
        this.policy?.providerJson === undefined
          ? this.execution.body.for(target.model)
          : this.execution.body.withProvider(target.model, this.policy.providerJson);
      // Two literals rather than a spread: keys after a spread take a slow path on Node 20.
      const response = await settings.transport.send(
        traceHeaders === undefined
          ? {
              endpoint: target.endpoint,
              operation: this.execution.operation,
              body,
              stream: streaming,
              signal: controller,
            }
          : {
              endpoint: target.endpoint,
              operation: this.execution.operation,
              body,
              stream: streaming,
              signal: controller,
              headers: traceHeaders,
            },
      );
      record.status = response.status;
      record.generationId = headerValue(response.headers, 'x-generation-id');
      const limits = settings.upstreamLimits;
      if (response.status < 200 || response.status >= 300) {
        const bodyText = await readAnswerText(response, limits.maxAnswerBytes);
        throw classifyHttpFailure({ status: response.status, headers: response.headers, bodyText, source });
      }
      if (!streaming) {
        // An upstream may echo a provider key (or an encoding of it) in its answer.
        const text = redactKnownSecrets(
          await readAnswerText(response, limits.maxAnswerBytes),
          source.secrets,
        );
        const answer = this.read(text, response.headers);
        record.returnedModel = answer.response.model;
        record.generationId ??= answer.response.id;
        record.upstreamProvider = (answer.response as { provider?: string }).provider;
        if (answer.kind === 'response') this.keepAnswer(answer.response);
        // An embeddings usage is a chat usage without completion tokens: it reads as one.
        this.settle(readUsage(answer.response.usage as ChatResponse['usage']));
        this.checkServedProvider();
        if (answer.kind === 'embeddings') {
          // Validators judge chat answers; a vector has nothing for them to read.
          this.finish('success');
          return { kind: 'embeddings', response: answer.response, attempt: this, parsed: undefined };
        }
        const parsed = await this.validate(scope, answer.response);
        this.finish('success');
        return { kind: 'response', response: answer.response, attempt: this, parsed };
      }
      const validating = scope.validators.length > 0;
      const stream = await UpstreamStream.open(this, response, limits);
      // An endless stream is cut: the abort reason ends it as `upstream_too_large`.
      this.cancelStreamTimer = settings.scheduler.schedule(limits.maxStreamMs, () =>
        controller.abort(new ResponseTooLarge({ limit: 'maxStreamMs', max: limits.maxStreamMs })),
      );
      await stream.readToFirstContent({ whole: validating });
      cancelTimer();
      record.upstreamProvider = stream.buffered[0]?.provider;
      this.checkServedProvider();
      if (validating) {
        stream.settle();
        const parsed = await this.validate(scope, assembleCompletion(stream.buffered));
        this.finish('success');
        return { kind: 'stream', attempt: this, stream, parsed };
      }
      this.watchdog = startStallWatchdog({
        stallMs: settings.timeouts.stallMs,
        clock: settings.clock,
        onStall: () => controller.abort(new Interruption('stall')),
      });
      record.outcome = 'success';
      return { kind: 'stream', attempt: this, stream, parsed: undefined };
    } catch (error) {
      const failure = toFailure(error, controller, {
        source,
        attemptMs,
        stallMs: settings.timeouts.stallMs,
      });
      if (!controller.aborted) controller.abort(failure);
      this.finish(failure);
      throw failure;
    } finally {
      cancelTimer();
    }
  }

  /** Marks a stream's progress: resets the stall watchdog. */
  touch(): void {
    this.watchdog?.touch();
  }

  /** Marks the start of an answer's content: the time to the first chunk. */
  markFirstContent(): void {
    const clock = this.execution.settings.clock;
    this.record.firstChunkMs = Math.round((clock.monotonic() - this.startedAt) * 1000) / 1000;
  }

  /**
   * Prices the attempt from its usage, once (later calls do nothing). With no usage, `estimate`
   * charges the prompt (by the tokenizer: the upstream read it before the call was cut off) and
   * the completion tokens already streamed, marked estimated.
   */
  settle(
    usage: UsageReport | undefined,
    options: { estimate?: boolean; streamedTokens?: number } = {},
  ): void {
    if (this.settled) return;
    this.settled = true;
    const { execution, record, target } = this;
    const { trace, settings } = execution;
    if (usage !== undefined) {
      record.usage = usage;
      trace.promptTokens += usage.promptTokens;
      trace.completionTokens += usage.completionTokens;
    }
    const returned = record.returnedModel;
    const substituted = returned !== undefined && isRouteSurprise(target.model, returned);
    const cost = priceAttempt({
      pricing: target.pricing,
      ...(substituted ? { served: { pricing: settings.pricingOf(returned) } } : {}),
      ...(this.admission?.costCap === undefined ? {} : { unpricedCap: this.admission.costCap }),
      provider: target.provider,
      usage,
      estimatePromptTokens: options.estimate ? execution.profile.promptTokens() : undefined,
      ...(options.streamedTokens === undefined ? {} : { estimateCompletionTokens: options.streamedTokens }),
      check: settings.costCheck,
      fees: settings.fees,
    });
    recordCost(record, cost);
    this.cost = cost.tokenCost + cost.fee;
    execution.cost += this.cost;
    execution.fee += cost.fee;
  }

  /**
   * Closes the attempt, once (later calls do nothing): records how it ended, prices it if nothing
   * did (an interrupted or timed-out call is charged its prompt), settles its budget reservation and
   * rate-limit permit, writes its ledger entry and tells the hooks.
   */
  finish(end: AttemptEnd): void {
    if (this.finished) return;
    this.finished = true;
    const { execution, record } = this;
    recordEnd(record, end);
    if (end !== 'success' && !Interruption.isInstance(end)) {
      execution.failures.push({
        index: record.index,
        target: record.target,
        status: record.status,
        error: end,
      });
    }
    if (end !== 'success') this.settle(undefined, { estimate: billedUnanswered(end) });
    this.watchdog?.stop();
    this.cancelStreamTimer?.();
    this.unlink();
    const { settings, trace } = execution;
    record.latencyMs = Math.round((settings.clock.monotonic() - this.startedAt) * 1000) / 1000;
    writeDownAttempt({
      record,
      trace,
      admission: this.admission,
      cost: this.cost,
      spend: settings.spend,
      ledger: settings.ledger,
      now: settings.clock.now(),
      pending: execution.pending,
      limitedForMs: upstreamLimitMs(end),
    });
    endAttemptSpan(settings.telemetry, this.span, {
      record,
      finishReasons: this.finishReason === undefined ? undefined : [this.finishReason],
      output: this.output,
      secrets: settings.secrets,
    });
    recordAttemptMetrics(settings.telemetry, { record, operation: execution.operation });
    emit(settings.hooks.onAttempt, record, trace);
  }

  /** Keeps what the span records of a whole chat answer: its finish reasons and, opted in, its messages. */
  private keepAnswer(response: ChatResponse): void {
    const choice = response.choices[0];
    if (choice?.finish_reason) this.finishReason = choice.finish_reason;
    if (this.execution.settings.telemetry.captureMessageContent)
      this.output = response.choices.map((each) => each.message);
  }

  /**
   * Drops a successful attempt that will not be used (it lost a hedge race by a photo finish): a
   * live stream is aborted and closed; a full answer keeps its (billed) cost.
   */
  drop(): void {
    this.record.hedgeLoser = true;
    if (this.finished) return;
    const interruption = new Interruption('hedge_loser');
    this.controller.abort(interruption);
    this.finish(interruption);
  }

  /**
   * Throws a `policy_violation` when the upstream provider that served is one the attempt's policy
   * excludes (outside `only`, inside `ignore`); its cost stays counted, and the request falls back.
   */
  private checkServedProvider(): void {
    const policy = this.policy?.policy;
    if (policy === undefined || (policy.only === undefined && policy.ignore === undefined)) return;
    const problem = servedProviderProblem(policy, this.record.upstreamProvider);
    if (problem === undefined) return;
    this.execution.trace.policyViolation = true;
    throw new AttemptError({ code: 'policy_violation', message: `${this.source.label} ${problem}` });
  }

  /** Reads a whole answer as its operation's shape; throws the {@link AttemptError} of a bad one. */
  private read(text: string, headers: HeaderBag): WholeAnswer {
    const { source } = this;
    if (this.execution.operation === 'chat')
      return { kind: 'response', response: readCompletion(text, { source, headers }) };
    const inputs = embeddingInputs(this.execution.request as EmbeddingRequest).length;
    return { kind: 'embeddings', response: readEmbeddings(text, { source, headers, inputs }) };
  }

  private async validate(scope: Scope, response: ChatResponse): Promise<unknown> {
    if (scope.validators.length === 0) return undefined;
    return validateAnswer({
      validators: scope.validators,
      response,
      // Only chat answers are validated.
      request: this.execution.request as ChatRequest,
      sentModel: this.target.model,
      label: this.source.label,
    });
  }
}
