/**
 * Money is an integer count of picodollars (1e-12 USD) held in a bigint: exact for every price
 * OpenRouter publishes (USD per token with up to 12 decimals) and for any sum of them.
 */
export type Picodollars = bigint;

const SCALE_DIGITS = 12;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a USD decimal string ("0.00000012") into picodollars. Digits beyond the 12th decimal
 * are rounded half up. Throws on anything but a plain non-negative decimal.
 */
export function parseUsd(value: string): Picodollars {
  const match = DECIMAL.exec(value.trim());
  if (match === null) throw new TypeError(`not a USD decimal string: "${value}"`);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const kept = fraction.slice(0, SCALE_DIGITS).padEnd(SCALE_DIGITS, '0');
  let amount = BigInt(whole) * SCALE + BigInt(kept);
  const next = fraction.charCodeAt(SCALE_DIGITS);
  if (next >= 53 /* '5' */) amount += 1n;
  return amount;
}

/** Converts a float USD amount reported by an upstream (`usage.cost`) into picodollars, rounded. */
export function usdFromNumber(value: number): Picodollars {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`not a USD amount: ${value}`);
  return parseUsd(value.toFixed(SCALE_DIGITS));
}

/** Formats picodollars as an exact USD decimal string without trailing zeros ("0.00002352"). */
export function formatUsd(amount: Picodollars): string {
  if (amount === 0n) return '0';
  const negative = amount < 0n;
  const absolute = negative ? -amount : amount;
  const sign = negative ? '-' : '';
  const whole = absolute / SCALE;
  const remainder = absolute % SCALE;
  if (remainder === 0n) return `${sign}${whole}`;
  const digits = remainder.toString().padStart(SCALE_DIGITS, '0');
  let end = SCALE_DIGITS;
  while (digits.charCodeAt(end - 1) === 48 /* '0' */) end -= 1;
  return `${sign}${whole}.${digits.slice(0, end)}`;
}

/**
 * `percent` % of an amount, exactly: the percent is a decimal string ("5.5"), the result rounded
 * half up to the picodollar.
 */
export function percentOf(amount: Picodollars, percent: string): Picodollars {
  const scaled = parseUsd(percent); // percent × 1e12
  const product = amount * scaled;
  const divisor = 100n * 10n ** 12n;
  return (product + divisor / 2n) / divisor;
}
