import { type Picodollars, parseUsd } from '@switchyard/core';
import { CliUsageError } from './cli-usage-error.js';
import { type FixedDecimal, parseFixedDecimal } from './fixed-decimal.js';

/** A flag's name and the text it was given. */
export interface FlagText {
  /** The flag as typed, e.g. `--spend`. */
  flag: string;
  /** Its raw value. */
  text: string;
}

/** Bounds of a numeric flag value (inclusive unless said otherwise). */
export interface FlagBounds {
  /** Smallest allowed value. */
  min?: FixedDecimal;
  /** Largest allowed value. */
  max?: FixedDecimal;
  /** Whether `min` itself is excluded (for "must be positive"). */
  exclusiveMin?: boolean;
}

/** Splits `500,2000, 10000` into trimmed items; an empty item is kept so it is reported. */
function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim());
}

/**
 * Parses a comma-separated list of USD amounts (`500,2000,10000`, a leading `$` allowed) into exact
 * picodollars.
 * @throws CliUsageError `--spend must be a list of USD amounts, got "abc"`
 */
export function parseUsdListFlag(input: FlagText): Picodollars[] {
  return splitList(input.text).map((item) => {
    try {
      return parseUsd(item.replace(/^\$/, ''));
    } catch {
      throw new CliUsageError(`${input.flag} must be a list of USD amounts, got "${item}"`);
    }
  });
}

/**
 * Parses one plain decimal (`5.5`, `0.2`) exactly, within bounds.
 * @throws CliUsageError `--fee must be ..., got "x"`
 */
export function parseDecimalFlag(input: FlagText & FlagBounds & { expected: string }): FixedDecimal {
  const value = parseFixedDecimal(input.text);
  if (value === undefined || !withinBounds(value, input)) {
    throw new CliUsageError(`${input.flag} must be ${input.expected}, got "${input.text}"`);
  }
  return value;
}

/**
 * Parses a comma-separated list of plain decimals exactly, each within bounds.
 * @throws CliUsageError naming the first bad item
 */
export function parseDecimalListFlag(input: FlagText & FlagBounds & { expected: string }): FixedDecimal[] {
  return splitList(input.text).map((item) => {
    const value = parseFixedDecimal(item);
    if (value === undefined || !withinBounds(value, input)) {
      throw new CliUsageError(`${input.flag} must be ${input.expected}, got "${item}"`);
    }
    return value;
  });
}

/**
 * Parses a whole number (`1000`, `1_000` and `1,000` are not accepted: commas separate list items).
 * @throws CliUsageError when the text is not a whole number within bounds
 */
export function parseIntegerFlag(input: FlagText & { min?: number; expected: string }): number {
  const value = /^\d+$/.test(input.text.trim()) ? Number(input.text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < (input.min ?? 0)) {
    throw new CliUsageError(`${input.flag} must be ${input.expected}, got "${input.text}"`);
  }
  return value;
}

/**
 * Parses a comma-separated list of whole numbers, each at least `min`.
 * @throws CliUsageError naming the first bad item
 */
export function parseIntegerListFlag(input: FlagText & { min?: number; expected: string }): number[] {
  return splitList(input.text).map((item) => parseIntegerFlag({ ...input, text: item }));
}

function withinBounds(value: FixedDecimal, bounds: FlagBounds): boolean {
  if (bounds.min !== undefined) {
    if (bounds.exclusiveMin === true ? value <= bounds.min : value < bounds.min) return false;
  }
  return bounds.max === undefined || value <= bounds.max;
}
