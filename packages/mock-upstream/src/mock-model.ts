/**
 * Prices of a model, in USD per unit, as decimal strings (OpenRouter's `/models` format).
 * `"0"` means free.
 */
export interface MockModelPricing {
  /** USD per prompt token, e.g. `"0.00000015"`. */
  prompt: string;
  /** USD per completion token. */
  completion: string;
  /** USD per request, added once per successful request. */
  request?: string;
  /** USD per input image. */
  image?: string;
  /** USD per web search. */
  web_search?: string;
  /** USD per internal reasoning token. */
  internal_reasoning?: string;
  /** USD per cached prompt token read. */
  input_cache_read?: string;
  /** USD per prompt token written to the cache. */
  input_cache_write?: string;
}

/** What a model accepts and produces. */
export interface MockModelArchitecture {
  /** Summary such as `"text->text"` or `"text+image->text"`. */
  modality: string;
  /** Accepted inputs: `text`, `image`, `file`, `audio`, `video`. */
  input_modalities: string[];
  /** Produced outputs, usually `["text"]`. */
  output_modalities: string[];
  /** Tokenizer family shown by OpenRouter (`GPT`, `Claude`, `Gemini`, `Llama3`, `DeepSeek`, `Mistral`, `Other`…). */
  tokenizer?: string;
  /** Instruction format, or null. */
  instruct_type?: string | null;
}

/** Limits of the provider OpenRouter routes to first. */
export interface MockModelTopProvider {
  /** Context window of that provider, in tokens. */
  context_length?: number | null;
  /** Largest completion that provider allows, in tokens. */
  max_completion_tokens?: number | null;
  /** Whether that provider moderates inputs. */
  is_moderated: boolean;
}

/**
 * A catalog entry in OpenRouter's `GET /api/v1/models` format. Fields marked optional here are
 * filled with OpenRouter's usual values (`null`, the id, a details link) when served, so every
 * served model matches the `Model` schema of OpenRouter's OpenAPI document.
 */
export interface MockModel {
  /** Model id, `author/slug[:variant]`. */
  id: string;
  /** Display name. */
  name: string;
  /** Context window in tokens; requests whose prompt plus `max_tokens` exceed it get a 400. */
  context_length: number;
  /** Prices in USD per token, as decimal strings. */
  pricing: MockModelPricing;
  /** Input and output modalities. */
  architecture: MockModelArchitecture;
  /** Limits of the first provider. */
  top_provider: MockModelTopProvider;
  /** Request parameters the model supports; a model without `tools` rejects requests with tools (404). */
  supported_parameters: string[];
  /**
   * Embedding models (`output_modalities: ["embeddings"]`): the length of their vectors, and whether
   * a request's `dimensions` may shorten them (OpenAI's `text-embedding-3-*` do, most others do
   * not). Mock-only: not served in `GET /models`.
   * @default { dimensions: 1536, shortens: false }
   */
  embedding?: { dimensions: number; shortens: boolean };
  /**
   * Permanent slug.
   * @default the id
   */
  canonical_slug?: string;
  /**
   * Unix seconds when the model was added.
   * @default 1735689600 (2025-01-01)
   */
  created?: number;
  /** Description shown in the catalog. */
  description?: string;
  /** Hugging Face id for open-weight models. */
  hugging_face_id?: string | null;
  /** Training data cut-off, `YYYY-MM-DD`. */
  knowledge_cutoff?: string | null;
  /** Date after which the model may be removed, `YYYY-MM-DD`. */
  expiration_date?: string | null;
  /**
   * Per-request token limits.
   * @default null
   */
  per_request_limits?: { prompt_tokens: number; completion_tokens: number } | null;
  /**
   * Default sampling parameters.
   * @default null
   */
  default_parameters?: Record<string, number | null> | null;
  /**
   * Voices of text-to-speech models.
   * @default null
   */
  supported_voices?: string[] | null;
  /**
   * Related links.
   * @default { details: '/api/v1/models/<id>/endpoints' }
   */
  links?: { details: string };
}
