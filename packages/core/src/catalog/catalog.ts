import { type Picodollars, parseUsd } from '../pricing/money.js';
import type { CatalogModel } from './catalog-model.js';

/** A set of models in OpenRouter's `/models` format, stamped with where and when it was taken. */
export interface Catalog {
  /** Where the figures come from: a URL that was fetched, or how a bundled snapshot was compiled. */
  readonly source: string;
  /** Day the figures were taken, `YYYY-MM-DD` (UTC). */
  readonly snapshotDate: string;
  /** The models, ids unique. */
  readonly models: readonly CatalogModel[];
}

/** Criteria of {@link filterCatalog}; every criterion given must hold, absent ones match everything. */
export interface CatalogFilter {
  /**
   * Highest prompt price, USD per token as a decimal string. Models without a parseable prompt
   * price are left out.
   * @example '0.000001' // $1 per million prompt tokens
   */
  maxPromptPrice?: string;
  /**
   * Highest completion price, USD per token as a decimal string. Models without a parseable
   * completion price are left out.
   * @example '0.000004' // $4 per million completion tokens
   */
  maxCompletionPrice?: string;
  /**
   * Smallest context window in tokens (`context_length`, else the top provider's).
   * @example 200000
   */
  minContext?: number;
  /**
   * Capabilities that must all be present: names from `supported_parameters` (`tools`,
   * `response_format`, `structured_outputs`, `reasoning`, ...), or `vision` for image input.
   * @example ['tools', 'vision']
   */
  supports?: readonly string[];
  /** `true`: only models whose prompt and completion prices are both zero; `false`: only the others. */
  free?: boolean;
  /** Case-insensitive substring of the id or the name. */
  search?: string;
}

/** The model with exactly this id, if the catalog has it. */
export function findModel(catalog: Catalog, id: string): CatalogModel | undefined {
  return catalog.models.find((model) => model.id === id);
}

/**
 * Combines two catalogs: an entry of `update` replaces the `base` entry with the same id. The
 * result carries `update`'s source and date and lists `update`'s models (first occurrence of each
 * id, in order), then the models only `base` has, in `base`'s order.
 */
export function mergeCatalogs(base: Catalog, update: Catalog): Catalog {
  const seen = new Set<string>();
  const models: CatalogModel[] = [];
  for (const model of [...update.models, ...base.models]) {
    if (seen.has(model.id)) continue;
    seen.add(model.id);
    models.push(model);
  }
  return { source: update.source, snapshotDate: update.snapshotDate, models };
}

/**
 * The models that meet every criterion of `filter`, in catalog order. Prices are compared
 * exactly (as picodollars, never as floats). Throws a `TypeError` when a price limit of the
 * filter is not a decimal USD string.
 */
export function filterCatalog(catalog: Catalog, filter: CatalogFilter): CatalogModel[] {
  const maxPrompt = filter.maxPromptPrice === undefined ? undefined : parseUsd(filter.maxPromptPrice);
  const maxCompletion =
    filter.maxCompletionPrice === undefined ? undefined : parseUsd(filter.maxCompletionPrice);
  const needle = filter.search?.toLowerCase();
  return catalog.models.filter((model) => {
    if (maxPrompt !== undefined && !isAtMost(priceOf(model.pricing?.prompt), maxPrompt)) return false;
    if (maxCompletion !== undefined && !isAtMost(priceOf(model.pricing?.completion), maxCompletion)) {
      return false;
    }
    if (filter.minContext !== undefined && !((contextOf(model) ?? -1) >= filter.minContext)) return false;
    if (filter.supports !== undefined && !filter.supports.every((name) => supports(model, name))) {
      return false;
    }
    if (filter.free !== undefined && isFree(model) !== filter.free) return false;
    if (needle !== undefined && !matchesSearch(model, needle)) return false;
    return true;
  });
}

/** A catalog price in picodollars; undefined when absent or malformed (so it never passes a limit). */
function priceOf(value: string | undefined): Picodollars | undefined {
  if (value === undefined) return undefined;
  try {
    return parseUsd(value);
  } catch {
    return undefined;
  }
}

function isAtMost(price: Picodollars | undefined, limit: Picodollars): boolean {
  return price !== undefined && price <= limit;
}

function contextOf(model: CatalogModel): number | undefined {
  return model.context_length ?? model.top_provider?.context_length ?? undefined;
}

/** `vision` means image input; any other name must be in `supported_parameters`. */
function supports(model: CatalogModel, name: string): boolean {
  if (name === 'vision') return model.architecture?.input_modalities?.includes('image') ?? false;
  return model.supported_parameters?.includes(name) ?? false;
}

function isFree(model: CatalogModel): boolean {
  return priceOf(model.pricing?.prompt) === 0n && priceOf(model.pricing?.completion) === 0n;
}

function matchesSearch(model: CatalogModel, needle: string): boolean {
  return model.id.toLowerCase().includes(needle) || (model.name?.toLowerCase().includes(needle) ?? false);
}
