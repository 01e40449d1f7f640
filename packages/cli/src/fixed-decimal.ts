import { formatUsd, parseUsd } from '@switchyard/core';

/**
 * A non-negative or negative decimal held exactly as an integer count of 1e-12 units in a bigint:
 * the same fixed point as core's money (picodollars), reused for ratios and shares so that
 * `1 + 0.2 × 8` is exactly 2.6, never 2.6000000000000005.
 */
export type FixedDecimal = bigint;

/** 1 as a {@link FixedDecimal}. */
export const FIXED_ONE: FixedDecimal = 10n ** 12n;

/**
 * Parses a plain non-negative decimal ("8", "0.25"); undefined when the text is anything else
 * (signs, exponents, empty).
 */
export function parseFixedDecimal(text: string): FixedDecimal | undefined {
  try {
    return parseUsd(text);
  } catch {
    return undefined;
  }
}

/** Formats exactly, without trailing zeros ("2.6", "-12.5", "0"). */
export function formatFixedDecimal(value: FixedDecimal): string {
  return formatUsd(value);
}

/** Rounds half away from zero to `decimals` places (0–12). */
export function roundFixedDecimal(value: FixedDecimal, decimals: number): FixedDecimal {
  const unit = 10n ** BigInt(12 - decimals);
  return divideRounded(value, unit) * unit;
}

/** `left × right`, rounded half away from zero at the 12th decimal. */
export function multiplyFixed(left: FixedDecimal, right: FixedDecimal): FixedDecimal {
  return divideRounded(left * right, FIXED_ONE);
}

/** `left ÷ right`, rounded half away from zero at the 12th decimal. */
export function divideFixed(left: FixedDecimal, right: FixedDecimal): FixedDecimal {
  return divideRounded(left * FIXED_ONE, right);
}

/** Integer division of bigints, rounded half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const absoluteNumerator = numerator < 0n ? -numerator : numerator;
  const absoluteDenominator = denominator < 0n ? -denominator : denominator;
  const quotient = (absoluteNumerator * 2n + absoluteDenominator) / (absoluteDenominator * 2n);
  return negative ? -quotient : quotient;
}
