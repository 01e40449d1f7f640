import type { ErrorStep } from './script-step.js';

/** Facts about the request that error messages and metadata mention. */
export interface ErrorContext {
  /** Model the error is about (served id when resolved, else the requested id). */
  model: string;
  /** Provider display name of that model. */
  provider: string;
  /** Text of the last user message (quoted by moderation errors). */
  flaggedInput: string;
  /** `max_tokens` of the request, quoted by the credits message. */
  maxTokens?: number;
  /** Epoch milliseconds now (for the default rate-limit reset). */
  now: number;
}

/** OpenRouter's error JSON: `{ error: { code, message, metadata? }, user_id? }`. */
export interface ErrorBody {
  /** The error. */
  error: { code: number | string; message: string; metadata?: Record<string, unknown> };
  /** Account id; absent on authentication errors. */
  user_id?: string;
}

/** A complete error response. */
export interface ErrorResponse {
  /** HTTP status. */
  status: number;
  /** Extra headers (`Retry-After`). */
  headers: Record<string, string>;
  /** JSON body. */
  body: ErrorBody;
}

/** Default message and metadata of a status, OpenRouter's wording. */
function defaultsFor(
  status: number,
  context: ErrorContext,
): { message: string; metadata?: Record<string, unknown> } {
  switch (status) {
    case 400:
      return { message: 'Invalid request parameters' };
    case 401:
      return { message: 'No auth credentials found' };
    case 402:
      return {
        message:
          'This request requires more credits, or fewer max_tokens. You requested up to ' +
          `${context.maxTokens ?? 65536} tokens, but can only afford 10114. To increase, visit ` +
          'https://openrouter.ai/settings/credits and add more credits',
      };
    case 403:
      return {
        message: `${context.model} requires moderation on ${context.provider}. Your input was flagged for "violence". No credits were charged.`,
        metadata: {
          reasons: ['violence'],
          flagged_input: excerpt(context.flaggedInput),
          provider_name: context.provider,
          model_slug: context.model,
        },
      };
    case 404:
      return { message: 'No endpoints found that support tool use.' };
    case 408:
      return { message: 'Request timed out: the provider did not respond in time.' };
    case 413:
      return { message: 'Request payload too large' };
    case 429:
      return {
        message:
          'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day',
      };
    case 500:
      return { message: 'Internal Server Error' };
    case 502:
      return {
        message: 'Provider returned error',
        metadata: {
          provider_name: context.provider,
          raw: JSON.stringify({
            error: {
              message: 'The server had an error while processing your request.',
              type: 'server_error',
            },
          }),
        },
      };
    case 503:
      return { message: 'No available providers that meet your routing requirements.' };
    default:
      return { message: 'Provider returned error' };
  }
}

/** Options of {@link createErrorResponse}. */
export interface ErrorResponseInput {
  /** Status, message and metadata overrides, Retry-After and rate-limit reset. */
  step: Omit<ErrorStep, 'kind' | 'status'> & { status: number };
  /** Facts for default messages. */
  context: ErrorContext;
  /** Account id written as `user_id` (not on 401). */
  userId: string;
}

/**
 * An error response as OpenRouter sends it: the status's default message and metadata (overridden
 * by the step), `Retry-After` on 429 (default 1 s) and whenever `retryAfterSeconds` is given, and
 * `metadata.headers` with `X-RateLimit-*` on 429.
 */
export function createErrorResponse(input: ErrorResponseInput): ErrorResponse {
  const { step, context } = input;
  const defaults = defaultsFor(step.status, context);
  let metadata = defaults.metadata;
  if (step.status === 429) {
    metadata = {
      headers: {
        'X-RateLimit-Limit': '50',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(step.rateLimitResetMs ?? nextMidnightUtc(context.now)),
      },
    };
  }
  if (step.metadata !== undefined) metadata = { ...metadata, ...step.metadata };
  const headers: Record<string, string> = {};
  const retryAfter =
    step.retryAfterSeconds === null
      ? undefined
      : (step.retryAfterSeconds ?? (step.status === 429 ? 1 : undefined));
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  const body: ErrorBody = {
    error: {
      code: step.status,
      message: step.message ?? defaults.message,
      ...(metadata ? { metadata } : {}),
    },
  };
  if (step.status !== 401) body.user_id = input.userId;
  return { status: step.status, headers, body };
}

/** Options of {@link createErrorBody}. */
export interface ErrorBodyInput {
  /** `error.code`: a status number, or a string code such as `"server_error"`. */
  code: number | string;
  /** Message; defaults to the status's default. */
  message?: string;
  /** Facts for default messages. */
  context: ErrorContext;
  /** Account id. */
  userId: string;
}

/** The body of an HTTP-200 error (`{ error, user_id }` without choices). */
export function createErrorBody(input: ErrorBodyInput): ErrorBody {
  const defaults = typeof input.code === 'number' ? defaultsFor(input.code, input.context) : undefined;
  return {
    error: {
      code: input.code,
      message: input.message ?? defaults?.message ?? 'Provider returned error',
      ...(defaults?.metadata ? { metadata: defaults.metadata } : {}),
    },
    user_id: input.userId,
  };
}

/** Epoch milliseconds of the next midnight UTC (when daily free-model limits reset). */
function nextMidnightUtc(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
}

/** At most 100 characters, with an ellipsis when cut. */
function excerpt(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
