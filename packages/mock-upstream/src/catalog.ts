import { type ModelPrices, parseDecimalPrice } from './decimal-price.js';
import type { MockModel } from './mock-model.js';
import type { RandomSource } from './seeded-random.js';

/** Id of OpenRouter's auto router: the mock picks a catalog model for it. */
export const AUTO_ROUTER_ID = 'openrouter/auto';

/** Variant suffixes that route to the base model (`:free` variants are catalog entries of their own). */
const ROUTING_VARIANTS = [':nitro', ':floor', ':online'];

/** A catalog model with its prices parsed once. */
export interface CatalogEntry {
  /** The model as configured. */
  model: MockModel;
  /** Exact prices used for `usage.cost`. */
  prices: ModelPrices;
  /** Whether `tools` is in `supported_parameters`. */
  supportsTools: boolean;
  /** Whether `image` is an input modality. */
  acceptsImages: boolean;
  /** Whether it is an embedding model (`embeddings` is an output modality): it answers `/embeddings` only. */
  embeds: boolean;
}

/** Requirements the auto router respects when it picks a model. */
export interface AutoRouterNeeds {
  /** Prompt tokens plus requested completion tokens. */
  tokens: number;
  /** Whether the request offers tools. */
  tools: boolean;
  /** Whether the request contains images. */
  images: boolean;
}

/** The model catalog: lookups, alias resolution, the auto router, the `/models` body. */
export interface Catalog {
  /** The entry with exactly this id. */
  find(id: string): CatalogEntry | undefined;
  /**
   * Resolves a requested id to the entry that serves it: alias, variant suffix (`:nitro`,
   * `:floor`, `:online`), `openrouter/auto` (seeded pick), or the id itself.
   */
  resolve(id: string, needs: AutoRouterNeeds): CatalogEntry | undefined;
  /** The JSON text of `GET /models`, serialised once. */
  readonly modelsBody: string;
}

/** Options of {@link createCatalog}. */
export interface CatalogOptions {
  /** Catalog models. */
  models: readonly MockModel[];
  /** Requested id → served id; every target must be a catalog id. */
  aliases: Readonly<Record<string, string>>;
  /** Seeded source for the auto router. */
  random: RandomSource;
}

/** `{ [key]: parsed price }` when the catalog prices that kind of token, else nothing. */
function optionalPrice(key: keyof ModelPrices, text: string | undefined): Partial<ModelPrices> {
  return text === undefined ? {} : { [key]: parseDecimalPrice(text) };
}

/** Builds the catalog; throws on bad prices, duplicate ids or aliases to unknown models. */
export function createCatalog(options: CatalogOptions): Catalog {
  const entries = new Map<string, CatalogEntry>();
  for (const model of options.models) {
    if (entries.has(model.id)) throw new Error(`Duplicate model id "${model.id}" in the mock catalog.`);
    entries.set(model.id, {
      model,
      prices: {
        prompt: parseDecimalPrice(model.pricing.prompt),
        completion: parseDecimalPrice(model.pricing.completion),
        request: parseDecimalPrice(model.pricing.request ?? '0'),
        ...optionalPrice('inputCacheRead', model.pricing.input_cache_read),
        ...optionalPrice('inputCacheWrite', model.pricing.input_cache_write),
        ...optionalPrice('internalReasoning', model.pricing.internal_reasoning),
      },
      supportsTools: model.supported_parameters.includes('tools'),
      acceptsImages: model.architecture.input_modalities.includes('image'),
      embeds: model.architecture.output_modalities.includes('embeddings'),
    });
  }
  for (const [alias, target] of Object.entries(options.aliases)) {
    if (!entries.has(target)) {
      throw new Error(`Alias "${alias}" points to "${target}", which is not in the mock catalog.`);
    }
  }
  // The auto router picks chat models: an embedding model cannot answer a chat.
  const autoCandidates = [...entries.values()].filter((entry) => !entry.embeds);
  const modelsBody = JSON.stringify({ data: options.models.map(toOpenRouterModel) });

  const pickAuto = (needs: AutoRouterNeeds): CatalogEntry | undefined => {
    const fitting = autoCandidates.filter(
      (entry) =>
        entry.model.context_length >= needs.tokens &&
        (!needs.tools || entry.supportsTools) &&
        (!needs.images || entry.acceptsImages),
    );
    const pool = fitting.length > 0 ? fitting : autoCandidates;
    return pool[Math.floor(options.random() * pool.length)];
  };

  return {
    modelsBody,
    find: (id) => entries.get(id),
    resolve(id, needs) {
      const alias = options.aliases[id];
      if (alias !== undefined) return entries.get(alias);
      if (id === AUTO_ROUTER_ID) return pickAuto(needs);
      const exact = entries.get(id);
      if (exact) return exact;
      const variant = ROUTING_VARIANTS.find((suffix) => id.endsWith(suffix));
      return variant === undefined ? undefined : entries.get(id.slice(0, -variant.length));
    },
  };
}

/** The model as `GET /models` shows it, with OpenRouter's usual values for omitted fields. */
export function toOpenRouterModel(model: MockModel): Record<string, unknown> {
  return {
    id: model.id,
    canonical_slug: model.canonical_slug ?? model.id,
    hugging_face_id: model.hugging_face_id ?? null,
    name: model.name,
    created: model.created ?? 1_735_689_600,
    description: model.description ?? `${model.name} (served by the Switchyard mock upstream).`,
    context_length: model.context_length,
    architecture: { tokenizer: 'Other', instruct_type: null, ...model.architecture },
    pricing: model.pricing,
    top_provider: model.top_provider,
    per_request_limits: model.per_request_limits ?? null,
    supported_parameters: model.supported_parameters,
    default_parameters: model.default_parameters ?? null,
    supported_voices: model.supported_voices ?? null,
    knowledge_cutoff: model.knowledge_cutoff ?? null,
    expiration_date: model.expiration_date ?? null,
    links: model.links ?? { details: `/api/v1/models/${model.id}/endpoints` },
  };
}
