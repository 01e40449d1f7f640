import { z } from 'zod';

const DECIMAL = /^\d+(\.\d+)?$/;
// What String() gives for a finite non-negative number: digits, an optional fraction, and for
// very small or very large numbers an exponent ("1.2e-7", "1e+21").
const NUMBER_TEXT = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * The exact decimal text of a finite, non-negative number's shortest form (`String(value)`), with
 * no exponent: `5` → `"5"`, `0.25` → `"0.25"`, `1.2e-7` → `"0.00000012"`, `1e21` → `"1"` and 21
 * zeros. So `0.1` in a config file means 0.1 USD exactly, not the nearest double. `undefined` for
 * a negative, infinite or NaN number.
 */
export function decimalFromNumber(value: number): string | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const match = NUMBER_TEXT.exec(String(value));
  if (match === null) return undefined;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const digits = `${whole}${fraction}`;
  // Where the decimal point falls in `digits` once the exponent is applied.
  const point = whole.length + Number(match[3] ?? '0');
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${digits}${'0'.repeat(point - digits.length)}`;
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A schema for an amount in a configuration (USD, a percent) given as a number (`5`, `0.25`) or
 * a decimal string (`"5"`, `"0.00000012"`); its output is always the decimal string the rest of
 * the code parses exactly (numbers through {@link decimalFromNumber}). Anything else, a negative
 * number or a string such as `"1e-7"` or `"$5"` is one issue that says what is accepted:
 * `expected <what> as a number or decimal string, e.g. <example>`.
 */
export function decimalAmount(described: { what: string; example: string }) {
  const message = `expected ${described.what} as a number or decimal string, e.g. ${described.example}`;
  return z.union([z.string(), z.number()], { error: message }).transform((value, context) => {
    const text =
      typeof value === 'number' ? decimalFromNumber(value) : DECIMAL.test(value) ? value : undefined;
    if (text !== undefined) return text;
    context.issues.push({ code: 'custom', message, input: value });
    return z.NEVER;
  });
}
