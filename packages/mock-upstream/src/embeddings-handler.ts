import { abortableWait } from './abortable-wait.js';
import type { CatalogEntry } from './catalog.js';
import type { ChatHandlerDependencies } from './chat-completion-handler.js';
import { computeCost } from './decimal-price.js';
import { type EmbeddingInput, embeddingVector, toBase64Embedding } from './embedding-vector.js';
import { createErrorBody, createErrorResponse, type ErrorContext } from './error-response.js';
import type { Exchange } from './exchange.js';
import { admitRequest } from './handler-support.js';
import type { MockEmbeddingRequest } from './mock-embedding-request.js';
import { providerNameFor } from './provider-name.js';
import type { ScriptStep } from './script-step.js';
import { countTextTokens } from './token-counter.js';

/** What the embeddings handler needs from the mock: what the chat handler has, bar the chat-only parts. */
export type EmbeddingsHandlerDependencies = Pick<
  ChatHandlerDependencies,
  'catalog' | 'scripts' | 'apiKeys' | 'pickFault' | 'sampleLatency' | 'userId'
>;

/** What an embedding model that declares nothing does. */
const DEFAULT_EMBEDDING = { dimensions: 1536, shortens: false } as const;

/** The inputs of a request as a list: each a text or a token array; undefined when malformed. */
function inputsOf(input: unknown): EmbeddingInput[] | undefined {
  const isTokens = (value: unknown): value is number[] =>
    Array.isArray(value) && value.length > 0 && value.every((token) => Number.isInteger(token) && token >= 0);
  if (typeof input === 'string') return input === '' ? undefined : [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((item) => typeof item === 'string' && item !== '')) return input as string[];
  if (isTokens(input)) return [input];
  if (input.every(isTokens)) return input as number[][];
  return undefined;
}

/** Problems with the body's shape, in OpenRouter's style; undefined when it is an embeddings request. */
function shapeProblem(body: Record<string, unknown> | undefined): string | undefined {
  if (body === undefined) return 'Invalid request: the body must be a JSON object';
  if (typeof body.model !== 'string' || body.model === '')
    return 'Invalid request: "model" must be a model ID string';
  if (inputsOf(body.input) === undefined) {
    return 'Invalid request: "input" must be a non-empty string, an array of non-empty strings, an array of token ids or an array of token arrays';
  }
  const { dimensions, encoding_format: format } = body;
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && (dimensions as number) >= 1))
    return 'Invalid request: "dimensions" must be a positive integer';
  if (format !== undefined && format !== 'float' && format !== 'base64')
    return 'Invalid request: "encoding_format" must be "float" or "base64"';
  return undefined;
}

/** The error OpenRouter would send for this model and request, if any. */
function modelProblem(
  request: MockEmbeddingRequest,
  resolved: CatalogEntry | undefined,
  inputs: readonly EmbeddingInput[],
): { status: 400 | 404; message: string } | undefined {
  if (resolved === undefined) return { status: 400, message: `${request.model} is not a valid model ID` };
  if (!resolved.embeds)
    return { status: 404, message: `No endpoints found for ${request.model} that support embeddings.` };
  const embedding = resolved.model.embedding ?? DEFAULT_EMBEDDING;
  const maximum = embedding.dimensions;
  if (request.dimensions !== undefined) {
    if (!embedding.shortens)
      return { status: 400, message: `${resolved.model.id} does not support the "dimensions" parameter` };
    if (request.dimensions > maximum)
      return { status: 400, message: `"dimensions" must be at most ${maximum} for ${resolved.model.id}` };
  }
  const limit = resolved.model.context_length;
  const longest = Math.max(...inputs.map(tokensOf));
  if (longest > limit) {
    return {
      status: 400,
      message: `This endpoint's maximum context length is ${limit} tokens. However, an input has ${longest} tokens. Please shorten it.`,
    };
  }
  return undefined;
}

/** Tokens of one input by the mock's tokenizer (a token array counts its ids). */
function tokensOf(input: EmbeddingInput): number {
  return typeof input === 'string' ? countTextTokens(input) : input.length;
}

/**
 * Creates the handler of `POST /embeddings`. Order, as for chat: log the body; authenticate;
 * validate the body (`model`, `input`, `dimensions`, `encoding_format`); take the model's next
 * scripted step, or else check the model (an embedding model, `dimensions` within its vectors, each
 * input within its context) and draw a random fault; wait for the latency plus the step's
 * `delayMs`; answer with one deterministic vector per input, usage by the tokenizer, cost by the
 * model's prompt price.
 */
export function createEmbeddingsHandler(
  dependencies: EmbeddingsHandlerDependencies,
): (exchange: Exchange, bodyText: string) => Promise<void> {
  return async (exchange, bodyText) => {
    const { entry } = exchange;
    const admitted = await admitRequest(exchange, { bodyText, dependencies, shapeProblem });
    if (admitted === undefined) return;
    const { body, latency, reject } = admitted;
    const request = body as MockEmbeddingRequest;
    const inputs = inputsOf(request.input) as EmbeddingInput[];
    const resolved = dependencies.catalog.resolve(request.model, { tokens: 0, tools: false, images: false });
    let step = dependencies.scripts.next(request.model);
    if (step === undefined) {
      const problem = modelProblem(request, resolved, inputs);
      if (problem !== undefined) {
        if (!(await abortableWait(latency, exchange.signal))) return;
        return reject(problem.status, problem.message);
      }
      step = dependencies.pickFault(request.model);
    }
    if (step !== undefined) entry.step = step.kind;
    const servedModel =
      (step?.kind === 'success' ? step.servedModel : undefined) ?? resolved?.model.id ?? request.model;
    entry.servedModel = servedModel;
    if (!(await abortableWait(latency + (step?.delayMs ?? 0), exchange.signal))) return;
    play({ exchange, request, inputs, step, servedModel, dependencies });
  };
}

/** Everything {@link play} answers from. */
interface EmbeddingAnswer {
  exchange: Exchange;
  request: MockEmbeddingRequest;
  inputs: readonly EmbeddingInput[];
  step: ScriptStep | undefined;
  servedModel: string;
  dependencies: EmbeddingsHandlerDependencies;
}

/**
 * Answers according to the step: success (the default); `error`, `error-200` (and
 * `mid-stream-error`, which a non-streamed answer plays the same way), `empty-choices` (`data: []`),
 * `reset` and `stall` as for chat. `finish-error` and `no-finish` are about chat choices: an
 * embeddings request answers them with a success.
 */
function play(answer: EmbeddingAnswer): void {
  const { exchange, step, servedModel, dependencies } = answer;
  const provider = providerNameFor(servedModel);
  const context: ErrorContext = {
    model: servedModel,
    provider,
    flaggedInput: answer.inputs.find((input) => typeof input === 'string') ?? '',
    now: Date.now(),
  };
  switch (step?.kind) {
    case 'error': {
      const error = createErrorResponse({ step, context, userId: dependencies.userId });
      exchange.sendJson(error.status, error.body, error.headers);
      return;
    }
    case 'error-200':
    case 'mid-stream-error': {
      const code = step.kind === 'error-200' ? (step.status ?? 502) : (step.code ?? 502);
      const message = step.message === undefined ? {} : { message: step.message };
      exchange.sendJson(200, createErrorBody({ code, context, userId: dependencies.userId, ...message }));
      return;
    }
    case 'reset':
      exchange.reset();
      return;
    case 'stall':
      exchange.stall();
      return;
    default:
      exchange.sendJson(200, embeddingResult(answer, { provider, empty: step?.kind === 'empty-choices' }));
  }
}

/** The success body: one vector per input, in the encoding asked for (or scripted), usage and cost. */
function embeddingResult(
  answer: EmbeddingAnswer,
  options: { provider: string; empty: boolean },
): Record<string, unknown> {
  const { request, inputs, step, servedModel, dependencies } = answer;
  const success = step?.kind === 'success' ? step : undefined;
  const entry = dependencies.catalog.find(servedModel);
  const dimensions = request.dimensions ?? entry?.model.embedding?.dimensions ?? DEFAULT_EMBEDDING.dimensions;
  const encoding = success?.encodingFormat ?? request.encoding_format ?? 'float';
  const promptTokens =
    success?.usage?.prompt_tokens ?? inputs.reduce((sum, input) => sum + tokensOf(input), 0);
  const cost =
    success?.usage?.cost ??
    (entry === undefined ? 0 : computeCost({ promptTokens, completionTokens: 0, pricing: entry.prices }));
  const data = options.empty
    ? []
    : inputs.map((input, index) => {
        const vector = embeddingVector(input, dimensions);
        return {
          object: 'embedding',
          index,
          embedding: encoding === 'base64' ? toBase64Embedding(vector) : vector,
        };
      });
  return {
    id: answer.exchange.generationId,
    object: 'list',
    data,
    model: servedModel,
    provider: options.provider,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens, cost, is_byok: false },
  };
}
