import type { PricingConfig } from '../config/config-types.js';

/** A model in OpenRouter's `GET /models` format (the fields Switchyard reads). */
export interface CatalogModel {
  /** `author/slug[:variant]`. */
  id: string;
  name?: string;
  /** Context window in tokens. */
  context_length?: number | null;
  /** USD per unit as decimal strings. */
  pricing?: PricingConfig;
  architecture?: { input_modalities?: string[]; output_modalities?: string[]; modality?: string | null };
  top_provider?: {
    context_length?: number | null;
    max_completion_tokens?: number | null;
    is_moderated?: boolean;
  };
  /** Request parameters the model supports (`tools`, `response_format`, `structured_outputs`, ...). */
  supported_parameters?: string[];
}
