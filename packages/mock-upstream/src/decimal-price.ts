/** An exact decimal: `units / 10^scale`. */
export interface DecimalPrice {
  /** Integer numerator. */
  units: bigint;
  /** Number of decimal places. */
  scale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string such as `"0.00000015"`; throws on anything else (exponents included). */
export function parseDecimalPrice(text: string): DecimalPrice {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`Price "${text}" is not a plain decimal string such as "0.00000015".`);
  const fraction = match[3] ?? '';
  const units = BigInt(`${match[2]}${fraction}`);
  return { units: match[1] === '-' ? -units : units, scale: fraction.length };
}

/** A model's parsed prices: the three every model has, and the token kinds some price apart. */
export interface ModelPrices {
  prompt: DecimalPrice;
  completion: DecimalPrice;
  request: DecimalPrice;
  /** Cached prompt tokens; absent: they cost `prompt`. */
  inputCacheRead?: DecimalPrice;
  /** Prompt tokens written to the cache; absent: they cost `prompt`. */
  inputCacheWrite?: DecimalPrice;
  /** Reasoning tokens (part of the completion); absent: they cost `completion`. */
  internalReasoning?: DecimalPrice;
}

/** Options of {@link computeCost}. */
export interface CostInput {
  /** Prompt tokens billed, cached and cache-written ones included. */
  promptTokens: number;
  /** Completion tokens billed, reasoning ones included. */
  completionTokens: number;
  /** Of the prompt tokens, those read from the provider's cache. */
  cachedTokens?: number;
  /** Of the prompt tokens, those written to the provider's cache. */
  cacheWriteTokens?: number;
  /** Of the completion tokens, those spent on reasoning. */
  reasoningTokens?: number;
  /** Parsed prices of the serving model. */
  pricing: ModelPrices;
}

/**
 * The cost of a usage, each kind of token at its own price (cached and cache-written prompt
 * tokens, reasoning tokens, where the model prices them apart), plus the per-request price;
 * computed exactly and then rounded once to the nearest double (what a JSON `cost` can carry).
 */
export function computeCost(input: CostInput): number {
  const { pricing } = input;
  const cached = BigInt(input.cachedTokens ?? 0);
  const written = BigInt(input.cacheWriteTokens ?? 0);
  const reasoning = BigInt(input.reasoningTokens ?? 0);
  const parts: Array<[bigint, DecimalPrice]> = [
    [BigInt(input.promptTokens) - cached - written, pricing.prompt],
    [cached, pricing.inputCacheRead ?? pricing.prompt],
    [written, pricing.inputCacheWrite ?? pricing.prompt],
    [BigInt(input.completionTokens) - reasoning, pricing.completion],
    [reasoning, pricing.internalReasoning ?? pricing.completion],
    [1n, pricing.request],
  ];
  const scale = Math.max(...parts.map(([, price]) => price.scale));
  let total = 0n;
  for (const [count, price] of parts) total += count * rescale(price, scale);
  return Number(formatDecimal(total, scale));
}

/** The numerator of `price` expressed with `scale` decimal places (scale ≥ price.scale). */
function rescale(price: DecimalPrice, scale: number): bigint {
  return price.units * 10n ** BigInt(scale - price.scale);
}

/** Writes `units / 10^scale` as a decimal string. */
function formatDecimal(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
