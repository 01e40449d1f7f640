import type { EmbeddingCreateParams } from 'openai/resources/embeddings';

/**
 * An embeddings request: OpenAI's body (`input` as a string, strings, token ids or arrays of token
 * ids; `dimensions`; `encoding_format`; `user`) plus OpenRouter's fields. `model` may name a route,
 * an alias or a raw model id.
 */
export type EmbeddingRequest = EmbeddingCreateParams & {
  /** OpenRouter provider preferences, passed through upstream untouched. */
  provider?: Record<string, unknown>;
  /** The kind of text (`search_query`, `search_document`) for models that tell them apart, passed through. */
  input_type?: string;
};

/** One vector: numbers, or (`encoding_format: "base64"`) base64 of its little-endian float32 bytes. */
export interface EmbeddingItem {
  object: 'embedding';
  /** Position of the input it embeds. */
  index: number;
  embedding: number[] | string;
}

/** An embeddings answer as the upstream sent it (OpenAI's shape plus OpenRouter's fields). */
export interface EmbeddingResponse {
  object: 'list';
  /** One vector per input, in order. */
  data: EmbeddingItem[];
  /** The model that served. */
  model: string;
  /** OpenRouter's generation id, when sent. */
  id?: string;
  /** OpenRouter's display name of the underlying provider, when sent. */
  provider?: string;
  usage?: {
    prompt_tokens: number;
    total_tokens: number;
    /** USD the upstream charged, as it reports it. */
    cost?: number;
    is_byok?: boolean;
  };
}
