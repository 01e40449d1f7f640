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

/** Options of {@link computeCost}. */
export interface CostInput {
  /** Prompt tokens billed. */
  promptTokens: number;
  /** Completion tokens billed. */
  completionTokens: number;
  /** Parsed prices of the serving model. */
  pricing: { prompt: DecimalPrice; completion: DecimalPrice; request: DecimalPrice };
}

/**
 * `promptTokens × prompt + completionTokens × completion + request`, computed exactly and then
 * rounded once to the nearest double (what a JSON `cost` can carry).
 */
export function computeCost(input: CostInput): number {
  const { pricing } = input;
  const scale = Math.max(pricing.prompt.scale, pricing.completion.scale, pricing.request.scale);
  const total =
    BigInt(input.promptTokens) * rescale(pricing.prompt, scale) +
    BigInt(input.completionTokens) * rescale(pricing.completion, scale) +
    rescale(pricing.request, scale);
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
