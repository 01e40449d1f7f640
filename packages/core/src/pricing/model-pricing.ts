import type { PricingConfig } from '../config/config-types.js';
import type { UsageReport } from '../trace/routing-trace.js';
import { type Picodollars, parseUsd } from './money.js';

/** A model's prices, parsed once into picodollars per unit. */
export interface ModelPricing {
  prompt: Picodollars;
  completion: Picodollars;
  request: Picodollars;
  image: Picodollars;
  /** Price of a cached prompt token; undefined: cached tokens cost `prompt`. */
  inputCacheRead: Picodollars | undefined;
  /** Price of a prompt token written to the provider's cache; undefined: they cost `prompt`. */
  inputCacheWrite: Picodollars | undefined;
  /** Price of a reasoning token; undefined: reasoning tokens cost `completion`. */
  internalReasoning: Picodollars | undefined;
}

const optional = (value: string | undefined): Picodollars | undefined =>
  value === undefined ? undefined : parseUsd(value);

/** Parses decimal-string prices (OpenRouter's `pricing` object) into {@link ModelPricing}. */
export function parsePricing(pricing: PricingConfig): ModelPricing {
  return {
    prompt: parseUsd(pricing.prompt ?? '0'),
    completion: parseUsd(pricing.completion ?? '0'),
    request: parseUsd(pricing.request ?? '0'),
    image: parseUsd(pricing.image ?? '0'),
    inputCacheRead: optional(pricing.input_cache_read),
    inputCacheWrite: optional(pricing.input_cache_write),
    internalReasoning: optional(pricing.internal_reasoning),
  };
}

/**
 * The token cost of one attempt from its reported usage: uncached, cached and cache-written
 * prompt tokens, completion and reasoning tokens, each at its own price where the catalog prices
 * it, plus the per-request fee.
 */
export function usageCost(pricing: ModelPricing, usage: UsageReport): Picodollars {
  const cached = BigInt(Math.min(usage.cachedTokens, usage.promptTokens));
  const written = BigInt(Math.min(usage.cacheWriteTokens, usage.promptTokens - Number(cached)));
  const prompt = BigInt(usage.promptTokens) - cached - written;
  const reasoning =
    pricing.internalReasoning === undefined
      ? 0n
      : BigInt(Math.min(usage.reasoningTokens, usage.completionTokens));
  const completion = BigInt(usage.completionTokens) - reasoning;
  return (
    prompt * pricing.prompt +
    cached * (pricing.inputCacheRead ?? pricing.prompt) +
    written * (pricing.inputCacheWrite ?? pricing.prompt) +
    completion * pricing.completion +
    reasoning * (pricing.internalReasoning ?? pricing.completion) +
    pricing.request
  );
}

/** The highest price an output token of the model can have: completion or reasoning. */
export function highestOutputPrice(pricing: ModelPricing): Picodollars {
  const reasoning = pricing.internalReasoning ?? 0n;
  return reasoning > pricing.completion ? reasoning : pricing.completion;
}

/** The highest price a prompt token can have when the request may write the provider's cache. */
export function highestInputPrice(pricing: ModelPricing, options: { writesCache: boolean }): Picodollars {
  const write = options.writesCache ? (pricing.inputCacheWrite ?? 0n) : 0n;
  return write > pricing.prompt ? write : pricing.prompt;
}

/** The cost of a request with the given token counts, before any usage is known. */
export function estimateCost(
  pricing: ModelPricing,
  tokens: { promptTokens: number; completionTokens: number },
): Picodollars {
  return (
    BigInt(tokens.promptTokens) * pricing.prompt +
    BigInt(tokens.completionTokens) * pricing.completion +
    pricing.request
  );
}
