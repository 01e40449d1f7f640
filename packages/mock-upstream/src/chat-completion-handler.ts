import { abortableWait } from './abortable-wait.js';
import type { Catalog, CatalogEntry } from './catalog.js';
import { createChatResult, createUsage, type ResponseIdentity, type Usage } from './chat-result.js';
import { computeCost } from './decimal-price.js';
import { firstHalf, splitIntoPieces } from './default-reply.js';
import { createErrorBody, createErrorResponse, type ErrorContext } from './error-response.js';
import type { Exchange } from './exchange.js';
import { admitRequest, isRecord } from './handler-support.js';
import type { MockChatRequest } from './mock-chat-request.js';
import type { ModelQuirks } from './model-quirks.js';
import { providerNameFor } from './provider-name.js';
import { planReply, type ReplyPlan, type ReplySource } from './reply-plan.js';
import type { ScriptQueue } from './script-queue.js';
import type { ScriptStep, SuccessStep } from './script-step.js';
import { type SsePacing, type SsePlan, writeSse } from './sse-writer.js';
import { createChunkSerializer, type UsageChunkStyle } from './stream-chunks.js';
import { countPromptTokens, countTextTokens, hasImageInput, messageText } from './token-counter.js';

/** What the chat handler needs from the mock. */
export interface ChatHandlerDependencies {
  /** Models, aliases, auto router. */
  catalog: Catalog;
  /** Scripted steps. */
  scripts: ScriptQueue;
  /** Replies set with `setReply`, by requested model id. */
  replies: ReadonlyMap<string, ReplySource>;
  /** Quirks set with `setQuirks` (or `options.quirks`), by requested model id. */
  quirks: ReadonlyMap<string, ModelQuirks>;
  /** `options.reply`. */
  globalReply?: ReplySource;
  /** Accepted bearer keys; undefined accepts any. */
  apiKeys?: ReadonlySet<string>;
  /** Draws the random fault for a request. */
  pickFault: (model: string) => ScriptStep | undefined;
  /** Draws the latency before the first byte. */
  sampleLatency: () => number;
  /** Stream keep-alives and delays. */
  pacing: SsePacing;
  /** Usage chunk shape. */
  usageChunkStyle: UsageChunkStyle;
  /** `user_id` of error bodies. */
  userId: string;
  /** Makes tool call ids. */
  nextToolCallId: () => string;
}

/** Everything known about a validated request while answering it. */
interface Answer {
  exchange: Exchange;
  request: MockChatRequest;
  stream: boolean;
  identity: ResponseIdentity;
  promptTokens: number;
  prices: CatalogEntry['prices'] | undefined;
  errorContext: ErrorContext;
}

/**
 * Creates the handler of `POST /chat/completions`. Order: log the body; authenticate; validate
 * the body (JSON, `messages`, `tools`); take the model's next scripted step, or else check the
 * model (id, tool and image support, context length) and draw a random fault; wait for the latency
 * plus the step's `delayMs`; answer.
 */
export function createChatCompletionHandler(
  dependencies: ChatHandlerDependencies,
): (exchange: Exchange, bodyText: string) => Promise<void> {
  return async (exchange, bodyText) => {
    const { entry } = exchange;
    const admitted = await admitRequest(exchange, { bodyText, dependencies, shapeProblem: validateShape });
    if (admitted === undefined) return;
    const { body, latency, reject } = admitted;

    const request = body as MockChatRequest;
    const scripted = dependencies.scripts.next(request.model);
    const promptTokens = countPromptTokens(request);
    const maxTokens = [request.max_tokens, request.max_completion_tokens].find(
      (value) => typeof value === 'number',
    );
    const tools = Array.isArray(request.tools) && request.tools.length > 0;
    const needs = { tokens: promptTokens + (maxTokens ?? 0), tools, images: hasImageInput(request) };
    const resolved = dependencies.catalog.resolve(request.model, needs);
    let step = scripted;
    if (step === undefined) {
      const rejection = validateAgainstModel({ request, resolved, needs, promptTokens });
      if (rejection !== undefined) {
        if (!(await abortableWait(latency, exchange.signal))) return;
        return reject(rejection.status, rejection.message);
      }
      step = dependencies.pickFault(request.model);
    }
    if (step !== undefined) entry.step = step.kind;

    const servedModel =
      (step?.kind === 'success' ? step.servedModel : undefined) ?? resolved?.model.id ?? request.model;
    entry.servedModel = servedModel;
    const provider =
      (step?.kind === 'success' ? step.servedProvider : undefined) ?? providerNameFor(servedModel);
    const answer: Answer = {
      exchange,
      request,
      stream: request.stream === true,
      identity: {
        id: exchange.generationId,
        created: Math.floor(Date.now() / 1000),
        model: servedModel,
        provider,
      },
      promptTokens,
      prices: (dependencies.catalog.find(servedModel) ?? resolved)?.prices,
      errorContext: {
        model: servedModel,
        provider,
        flaggedInput: messageText([...request.messages].reverse().find((message) => message.role === 'user')),
        now: Date.now(),
        ...(maxTokens === undefined ? {} : { maxTokens }),
      },
    };
    if (!(await abortableWait(latency + (step?.delayMs ?? 0), exchange.signal))) return;
    await play(answer, { step, dependencies });
  };
}

/** Options of {@link play}. */
interface PlayInput {
  step: ScriptStep | undefined;
  dependencies: ChatHandlerDependencies;
}

/** Answers according to the step (normal success when none). */
async function play(answer: Answer, input: PlayInput): Promise<void> {
  const { step, dependencies } = input;
  const { exchange, stream, identity } = answer;
  const plan = (successStep?: SuccessStep): ReplyPlan =>
    planReply({
      request: answer.request,
      ...(successStep ? { step: successStep } : {}),
      replies: { model: dependencies.replies.get(answer.request.model), global: dependencies.globalReply },
      servedModel: identity.model,
      nextToolCallId: dependencies.nextToolCallId,
      ...quirksOf(dependencies.quirks, answer.request.model),
    });
  const streamOf = (sse: SsePlan): Promise<void> =>
    writeSse(exchange, { plan: sse, pacing: dependencies.pacing });
  const chunks = createChunkSerializer(identity);
  const finalChunks = (finishReason: string, usage: Usage): string[] => [
    chunks.finish(finishReason),
    chunks.usage({ usage, style: dependencies.usageChunkStyle }),
    '[DONE]',
  ];
  const contentChunks = (reply: Pick<ReplyPlan, 'content' | 'refusal' | 'toolCalls'>): string[] =>
    chunks.content(reply);

  switch (step?.kind) {
    case undefined:
    case 'success': {
      const reply = plan(step);
      const usage = usageOf(answer, { completionTokens: reply.completionTokens, overrides: step?.usage });
      if (!stream) {
        exchange.sendJson(
          200,
          createChatResult({ identity, message: reply, finishReason: reply.finishReason, usage }),
        );
        return;
      }
      return streamOf({
        events: [...contentChunks(reply), ...finalChunks(reply.finishReason, usage)],
        ending: 'end',
      });
    }
    case 'error': {
      const error = createErrorResponse({ step, context: answer.errorContext, userId: dependencies.userId });
      exchange.sendJson(error.status, error.body, error.headers);
      return;
    }
    case 'error-200':
    case 'mid-stream-error': {
      const code = step.kind === 'error-200' ? (step.status ?? 502) : (step.code ?? 502);
      const body = createErrorBody({
        code,
        context: answer.errorContext,
        userId: dependencies.userId,
        ...(step.message !== undefined
          ? { message: step.message }
          : step.kind === 'mid-stream-error'
            ? { message: 'Provider disconnected unexpectedly' }
            : {}),
      });
      if (!stream) {
        exchange.sendJson(200, body);
        return;
      }
      const before =
        step.kind === 'mid-stream-error' ? contentChunks(plan()).slice(0, step.afterChunks ?? 1) : [];
      const errorChunk = chunks.error({
        code,
        message: body.error.message,
        emptyChoices: step.kind === 'mid-stream-error' && step.emptyChoices === true,
      });
      return streamOf({ events: [...before, errorChunk], ending: 'end' });
    }
    case 'finish-error': {
      const content = step.partialContent ?? firstHalf(plan().content ?? '');
      const usage = usageOf(answer, { completionTokens: countTextTokens(content) });
      const partial = { content, refusal: null, toolCalls: [] };
      if (!stream) {
        exchange.sendJson(
          200,
          createChatResult({ identity, message: partial, finishReason: 'error', usage }),
        );
        return;
      }
      return streamOf({ events: [...contentChunks(partial), ...finalChunks('error', usage)], ending: 'end' });
    }
    case 'empty-choices': {
      const usage = usageOf(answer, { completionTokens: 0 });
      if (!stream) {
        exchange.sendJson(200, createChatResult({ identity, usage }));
        return;
      }
      return streamOf({ events: [chunks.usage({ usage, style: '2026' }), '[DONE]'], ending: 'end' });
    }
    case 'reset': {
      if (!stream || step.afterChunks === undefined) {
        exchange.reset();
        return;
      }
      return streamOf({ events: contentChunks(plan()).slice(0, step.afterChunks), ending: 'reset' });
    }
    case 'stall': {
      if (!stream) {
        exchange.stall();
        return;
      }
      return streamOf({ events: contentChunks(plan()).slice(0, step.afterChunks ?? 0), ending: 'stall' });
    }
    case 'no-finish': {
      const reply = plan();
      if (stream) {
        const events = contentChunks(reply);
        return streamOf({
          events: [...events.slice(0, step.afterChunks ?? events.length), '[DONE]'],
          ending: 'end',
        });
      }
      const pieces = splitIntoPieces(reply.content ?? '');
      const content = pieces.slice(0, step.afterChunks ?? pieces.length).join('');
      const usage = usageOf(answer, { completionTokens: countTextTokens(content) });
      const message = { content, refusal: null, toolCalls: [] };
      exchange.sendJson(200, createChatResult({ identity, message, finishReason: null, usage }));
      return;
    }
  }
}

/** Options of {@link usageOf}. */
interface UsageOfInput {
  completionTokens: number;
  overrides?: SuccessStep['usage'];
}

/** Usage with the cost from the serving model's prices (0 when it has none), step overrides applied. */
function usageOf(answer: Answer, input: UsageOfInput): Usage {
  const overrides = input.overrides;
  const promptTokens = overrides?.prompt_tokens ?? answer.promptTokens;
  const completionTokens = overrides?.completion_tokens ?? input.completionTokens;
  const details = {
    ...(overrides?.cached_tokens === undefined ? {} : { cachedTokens: overrides.cached_tokens }),
    ...(overrides?.cache_write_tokens === undefined
      ? {}
      : { cacheWriteTokens: overrides.cache_write_tokens }),
    ...(overrides?.reasoning_tokens === undefined ? {} : { reasoningTokens: overrides.reasoning_tokens }),
  };
  const cost =
    overrides?.cost ??
    (answer.prices === undefined
      ? 0
      : computeCost({ promptTokens, completionTokens, pricing: answer.prices, ...details }));
  return createUsage({ promptTokens, completionTokens, cost, ...details });
}

/** Options of {@link validateAgainstModel}. */
interface ModelCheck {
  request: MockChatRequest;
  resolved: CatalogEntry | undefined;
  needs: { tokens: number; tools: boolean; images: boolean };
  promptTokens: number;
}

/** The error OpenRouter would send for this model, if any. */
function validateAgainstModel(check: ModelCheck): { status: 400 | 404; message: string } | undefined {
  const { resolved, needs } = check;
  if (resolved === undefined)
    return { status: 400, message: `${check.request.model} is not a valid model ID` };
  if (resolved.embeds)
    return {
      status: 400,
      message: `${resolved.model.id} is an embedding model: it answers /embeddings only`,
    };
  if (needs.tools && !resolved.supportsTools)
    return { status: 404, message: 'No endpoints found that support tool use.' };
  if (needs.images && !resolved.acceptsImages) {
    return { status: 404, message: 'No endpoints found that support image input' };
  }
  const limit = resolved.model.context_length;
  if (needs.tokens > limit) {
    const output = needs.tokens - check.promptTokens;
    return {
      status: 400,
      message:
        `This endpoint's maximum context length is ${limit} tokens. However, you requested about ${needs.tokens} ` +
        `tokens (${check.promptTokens} of text input, ${output} in the output). Please reduce the length of either ` +
        'one, or use the "middle-out" transform to compress your prompt automatically.',
    };
  }
  return undefined;
}

/** Problems with the body's shape, OpenRouter's wording. */
function validateShape(body: Record<string, unknown> | undefined): string | undefined {
  if (body === undefined) return 'Invalid request: the body must be a JSON object';
  if (!Array.isArray(body.messages)) return 'Input required: specify "prompt" or "messages"';
  if (typeof body.model !== 'string' || body.model === '') {
    return 'Invalid request: "model" must be a model ID string';
  }
  const badMessage = body.messages.findIndex(
    (message) => !isRecord(message) || typeof message.role !== 'string' || !isMessageContent(message.content),
  );
  if (badMessage !== -1) {
    return `Invalid request: messages[${badMessage}] needs a string "role" and text or parts "content"`;
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return 'Invalid request: "tools" must be an array';
    const badTool = body.tools.findIndex(
      (tool) => !isRecord(tool) || !isRecord(tool.function) || typeof tool.function.name !== 'string',
    );
    if (badTool !== -1) return `Invalid request: tools[${badTool}] needs a "function" with a string "name"`;
  }
  return undefined;
}

/** Whether a message's content is absent, null, a string, or an array of part objects. */
function isMessageContent(content: unknown): boolean {
  if (content === undefined || content === null || typeof content === 'string') return true;
  return Array.isArray(content) && content.every(isRecord);
}

function quirksOf(quirks: ReadonlyMap<string, ModelQuirks>, model: string): { quirks?: ModelQuirks } {
  const found = quirks.get(model);
  return found === undefined ? {} : { quirks: found };
}
