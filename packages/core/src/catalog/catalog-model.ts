import type { PricingConfig } from '../config/config-types.js';

/** Default sampling parameters a catalog entry declares (OpenRouter's `default_parameters`). */
export interface CatalogDefaultParameters {
  /** Default sampling temperature. */
  temperature?: number | null;
  /** Default nucleus-sampling mass. */
  top_p?: number | null;
  /** Default top-k cut-off. */
  top_k?: number | null;
  /** Default frequency penalty. */
  frequency_penalty?: number | null;
  /** Default presence penalty. */
  presence_penalty?: number | null;
  /** Default repetition penalty. */
  repetition_penalty?: number | null;
}

/** A model in OpenRouter's `GET /models` format (the fields Switchyard reads). */
export interface CatalogModel {
  /** `author/slug[:variant]`. */
  id: string;
  /** Display name, e.g. `"OpenAI: GPT-4o"`. */
  name?: string;
  /** Context window in tokens. */
  context_length?: number | null;
  /** USD per unit as decimal strings. */
  pricing?: PricingConfig;
  /** What the model accepts and produces. */
  architecture?: {
    /** Accepted inputs: `text`, `image`, `file`, `audio`, `video`. */
    input_modalities?: string[];
    /** Produced outputs, usually `["text"]`. */
    output_modalities?: string[];
    /** Summary such as `"text+image->text"`. */
    modality?: string | null;
    /** Tokenizer family (`GPT`, `Claude`, `Gemini`, `Llama3`, `DeepSeek`, `Mistral`, `Qwen3`, ...). */
    tokenizer?: string;
    /** Instruction format of open-weight models (`llama3`, `chatml`, ...), or null. */
    instruct_type?: string | null;
  };
  /** Limits of the provider OpenRouter routes to first. */
  top_provider?: {
    /** That provider's context window in tokens. */
    context_length?: number | null;
    /** Largest completion that provider allows, in tokens. */
    max_completion_tokens?: number | null;
    /** Whether that provider moderates inputs. */
    is_moderated?: boolean;
  };
  /** Request parameters the model supports (`tools`, `response_format`, `structured_outputs`, ...). */
  supported_parameters?: string[];
  /** Permanent slug; a `:free` variant shares its base model's slug. */
  canonical_slug?: string;
  /** Unix seconds when the model was added to the catalog. */
  created?: number;
  /** Description shown in the catalog. */
  description?: string;
  /** Hugging Face repository of open-weight models, or null. */
  hugging_face_id?: string | null;
  /** Training data cut-off, `YYYY-MM-DD`, or null when unknown. */
  knowledge_cutoff?: string | null;
  /** Date after which the model may be removed, `YYYY-MM-DD`, or null. */
  expiration_date?: string | null;
  /** Per-request token limits, or null (the usual value). */
  per_request_limits?: { prompt_tokens: number; completion_tokens: number } | null;
  /** Default sampling parameters, or null. */
  default_parameters?: CatalogDefaultParameters | null;
  /** Voices of text-to-speech models; null for the others. */
  supported_voices?: string[] | null;
  /** Related API links, e.g. `{ details: '/api/v1/models/<id>/endpoints' }`. */
  links?: { details: string };
}
