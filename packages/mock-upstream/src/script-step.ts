/** HTTP statuses a scripted or random error can have. */
export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 408 | 413 | 429 | 500 | 502 | 503;

/** Every error status the mock can script, in ascending order. */
export const ERROR_STATUSES: readonly ErrorStatus[] = [400, 401, 402, 403, 404, 408, 413, 429, 500, 502, 503];

/** Finish reasons a scripted success can report. */
export type ScriptFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** A successful answer, with optional overrides. */
export interface SuccessStep {
  /** Kind of behaviour. */
  kind: 'success';
  /** Reply text instead of the default one. */
  content?: string;
  /** Model named in the response (as if OpenRouter had routed elsewhere). */
  servedModel?: string;
  /**
   * Provider display name in the response's `provider` (as if OpenRouter had picked another
   * upstream provider), e.g. `DeepInfra`.
   * @default the served model's author's provider (`OpenAI` for `openai/…`)
   */
  servedProvider?: string;
  /** Finish reason instead of the computed one. */
  finishReason?: ScriptFinishReason;
  /**
   * Usage overrides; `cost` is otherwise computed from the served model's prices, each kind of
   * token at its own price: `cached_tokens` (prompt tokens read from the cache, reported in
   * `prompt_tokens_details`), `cache_write_tokens` (prompt tokens written to it) and
   * `reasoning_tokens` (completion tokens spent thinking, in `completion_tokens_details`).
   */
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    cost?: number;
    cached_tokens?: number;
    cache_write_tokens?: number;
    reasoning_tokens?: number;
  };
  /** Tool calls to answer with (finish reason `tool_calls`). */
  toolCalls?: Array<{ name: string; arguments: string }>;
  /** Refusal text (`message.refusal`, content null). */
  refusal?: string;
  /**
   * Embeddings only: send the vectors in this encoding whatever the request's `encoding_format`
   * asked for (an upstream that ignores it).
   */
  encodingFormat?: 'float' | 'base64';
}

/** A JSON error with a real HTTP status, before any byte of a stream. */
export interface ErrorStep {
  /** Kind of behaviour. */
  kind: 'error';
  /** HTTP status, equal to `error.code`. */
  status: ErrorStatus;
  /** Message instead of the status's default. */
  message?: string;
  /** Merged over the status's default `error.metadata`. */
  metadata?: Record<string, unknown>;
  /**
   * `Retry-After` header in seconds; `null` sends none (a 429 that says when to retry only through
   * `X-RateLimit-Reset`).
   * @default 1 for 429, absent otherwise
   */
  retryAfterSeconds?: number | null;
  /**
   * Epoch milliseconds reported as `X-RateLimit-Reset` in `error.metadata.headers` (429 only).
   * @default the next midnight UTC
   */
  rateLimitResetMs?: number;
}

/**
 * HTTP 200 whose body is an error and has no `choices` (non-stream); in a stream, an error chunk
 * before any content.
 */
export interface Error200Step {
  /** Kind of behaviour. */
  kind: 'error-200';
  /**
   * `error.code` in the body.
   * @default 502
   */
  status?: number;
  /** `error.message` in the body. */
  message?: string;
}

/** A choice with `finish_reason: "error"` and partial content. */
export interface FinishErrorStep {
  /** Kind of behaviour. */
  kind: 'finish-error';
  /**
   * Content produced before the failure.
   * @default the first half of the default reply's words
   */
  partialContent?: string;
}

/** HTTP 200 with `choices: []`. */
export interface EmptyChoicesStep {
  /** Kind of behaviour. */
  kind: 'empty-choices';
}

/** The connection is destroyed (TCP reset). */
export interface ResetStep {
  /** Kind of behaviour. */
  kind: 'reset';
  /** Streams only: reset after the headers and this many content chunks; absent: before any byte. */
  afterChunks?: number;
}

/** The mock stops sending and keeps the connection open until the client gives up or `close()`. */
export interface StallStep {
  /** Kind of behaviour. */
  kind: 'stall';
  /**
   * Streams only: content chunks sent before the silence (after the headers and the leading
   * keep-alive comments). Non-stream requests get no response at all.
   * @default 0
   */
  afterChunks?: number;
}

/** After streaming began: one chunk with a top-level `error`, then the stream ends without `[DONE]`. */
export interface MidStreamErrorStep {
  /** Kind of behaviour. */
  kind: 'mid-stream-error';
  /**
   * Content chunks before the error chunk.
   * @default 1
   */
  afterChunks?: number;
  /**
   * `error.code`; OpenRouter sends numbers or strings such as `"server_error"` (the OpenAPI
   * document only allows integers).
   * @default 502
   */
  code?: number | string;
  /**
   * `error.message`.
   * @default 'Provider disconnected unexpectedly'
   */
  message?: string;
  /**
   * Send `choices: []` in the error chunk instead of one choice with `finish_reason: "error"`.
   * @default false
   */
  emptyChoices?: boolean;
}

/** A stream that ends with `data: [DONE]` but never sends a finish reason nor usage. */
export interface NoFinishStep {
  /** Kind of behaviour. */
  kind: 'no-finish';
  /**
   * Content chunks before `[DONE]`.
   * @default all of the reply's chunks
   */
  afterChunks?: number;
}

/** Options every step accepts. */
export interface StepTiming {
  /** Milliseconds to wait before the first byte (added to the random latency). */
  delayMs?: number;
  /**
   * How many requests this step answers.
   * @default 1
   */
  times?: number;
}

/**
 * One scripted behaviour; each request to the scripted model consumes one step.
 * @example mock.script('openai/gpt-4o', [{ kind: 'error', status: 429, times: 2 }, { kind: 'success' }]);
 */
export type ScriptStep = (
  | SuccessStep
  | ErrorStep
  | Error200Step
  | FinishErrorStep
  | EmptyChoicesStep
  | ResetStep
  | StallStep
  | MidStreamErrorStep
  | NoFinishStep
) &
  StepTiming;

/** The `kind` of a {@link ScriptStep}. */
export type ScriptStepKind = ScriptStep['kind'];
