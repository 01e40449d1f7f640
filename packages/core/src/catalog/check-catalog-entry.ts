import { parseUsd } from '../pricing/money.js';
import type { CatalogModel } from './catalog-model.js';

/** Price fields Switchyard reads; each, when present, must be a plain decimal USD string. */
const PRICE_FIELDS = [
  'prompt',
  'completion',
  'request',
  'image',
  'web_search',
  'input_cache_read',
  'input_cache_write',
  'internal_reasoning',
] as const;

/** The outcome of {@link checkCatalogEntry}: the entry typed as a model, or why it was refused. */
export type CatalogEntryCheck =
  | {
      /** The entry is usable. */
      readonly ok: true;
      /** The entry, unchanged. */
      readonly model: CatalogModel;
    }
  | {
      /** The entry was refused. */
      readonly ok: false;
      /** Its id when it had a string one. */
      readonly id?: string;
      /** What is wrong, e.g. `pricing.prompt is not a decimal USD string: "-1"`. */
      readonly reason: string;
    };

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isTokenCount(value: unknown): boolean {
  return value === null || (typeof value === 'number' && Number.isFinite(value) && value >= 0);
}

function isDecimalUsd(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    parseUsd(value);
    return true;
  } catch {
    return false;
  }
}

/** Why the fields Switchyard reads do not have the types {@link CatalogModel} declares, if they do not. */
function findProblem(entry: JsonObject): string | undefined {
  if (entry.name !== undefined && typeof entry.name !== 'string') return 'name is not a string';
  if (entry.context_length !== undefined && !isTokenCount(entry.context_length)) {
    return 'context_length is not a token count';
  }
  const { pricing, architecture, top_provider: topProvider } = entry;
  if (pricing !== undefined) {
    if (!isObject(pricing)) return 'pricing is not an object';
    for (const field of PRICE_FIELDS) {
      const price = pricing[field];
      if (price !== undefined && !isDecimalUsd(price)) {
        return `pricing.${field} is not a decimal USD string: ${JSON.stringify(price)}`;
      }
    }
  }
  if (architecture !== undefined) {
    if (!isObject(architecture)) return 'architecture is not an object';
    for (const field of ['input_modalities', 'output_modalities'] as const) {
      const value = architecture[field];
      if (value !== undefined && !isStringArray(value)) return `architecture.${field} is not a string array`;
    }
  }
  if (topProvider !== undefined) {
    if (!isObject(topProvider)) return 'top_provider is not an object';
    for (const field of ['context_length', 'max_completion_tokens'] as const) {
      const value = topProvider[field];
      if (value !== undefined && !isTokenCount(value)) return `top_provider.${field} is not a token count`;
    }
  }
  if (entry.supported_parameters !== undefined && !isStringArray(entry.supported_parameters)) {
    return 'supported_parameters is not a string array';
  }
  return undefined;
}

/**
 * Checks one entry of a `GET /models` answer: the id must be a non-empty string, and the fields
 * Switchyard reads (name, context length, prices, modalities, top provider limits, supported
 * parameters) must have the expected types when present. Prices must be plain non-negative
 * decimal strings, so the `"-1"` OpenRouter sends for dynamically priced routers such as
 * `openrouter/auto` refuses the entry. Other fields pass through unchecked.
 */
export function checkCatalogEntry(value: unknown): CatalogEntryCheck {
  if (!isObject(value)) return { ok: false, reason: 'entry is not an object' };
  const { id } = value;
  if (typeof id !== 'string' || id.trim() === '')
    return { ok: false, reason: 'id is not a non-empty string' };
  const problem = findProblem(value);
  if (problem !== undefined) return { ok: false, id, reason: problem };
  return { ok: true, model: value as unknown as CatalogModel };
}
