import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
} from 'openai/resources/chat/completions';

/** OpenRouter's request fields beyond OpenAI's. */
export interface OpenRouterRequestFields {
  /** Ad-hoc fallback list: `model` first, then each of these. Switchyard runs the chain itself. */
  models?: string[];
  /** OpenRouter provider preferences, passed through upstream untouched. */
  provider?: Record<string, unknown>;
  /** Sticky-routing session id, passed through. */
  session_id?: string;
  /** Reasoning settings, passed through. */
  reasoning?: Record<string, unknown>;
  /** OpenRouter transforms (e.g. `middle-out`), passed through. */
  transforms?: string[];
}

/**
 * A chat request: OpenAI's chat-completions body plus OpenRouter's extensions. `model` may name
 * a route, an alias or a raw model id.
 */
export type ChatRequest = Omit<ChatCompletionCreateParamsBase, 'stream'> &
  OpenRouterRequestFields & { stream?: boolean | null };

/** OpenRouter's usage fields beyond OpenAI's. */
export interface OpenRouterUsageFields {
  /** USD the upstream charged, as it reports it. */
  cost?: number;
  is_byok?: boolean;
}

/** A chat completion as the upstream sent it (OpenAI's shape plus OpenRouter's fields). */
export type ChatResponse = ChatCompletion & {
  /** OpenRouter's display name of the underlying provider. */
  provider?: string;
  usage?: ChatCompletion['usage'] & OpenRouterUsageFields;
};

/** One streamed chunk (OpenAI's shape plus OpenRouter's fields). */
export type ChatChunk = ChatCompletionChunk & {
  provider?: string;
  usage?: ChatCompletionChunk['usage'] & OpenRouterUsageFields;
};
