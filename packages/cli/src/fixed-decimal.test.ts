import { describe, expect, it } from 'vitest';
import {
  divideFixed,
  FIXED_ONE,
  formatFixedDecimal,
  multiplyFixed,
  parseFixedDecimal,
  roundFixedDecimal,
} from './fixed-decimal.js';

function fixed(text: string): bigint {
  const value = parseFixedDecimal(text);
  if (value === undefined) throw new Error(`not a decimal: ${text}`);
  return value;
}

describe('fixed decimals', () => {
  it('does exact maths where floats drift', () => {
    expect(0.1 * 3).not.toBe(0.3);
    expect(formatFixedDecimal(multiplyFixed(fixed('0.1'), fixed('3')))).toBe('0.3');
    expect(formatFixedDecimal(FIXED_ONE + multiplyFixed(fixed('0.2'), fixed('8')))).toBe('2.6');
    expect(formatFixedDecimal(divideFixed(fixed('9'), fixed('2')))).toBe('4.5');
  });

  it('rounds half away from zero', () => {
    expect(formatFixedDecimal(roundFixedDecimal(fixed('43.75'), 1))).toBe('43.8');
    expect(formatFixedDecimal(roundFixedDecimal(-fixed('12.55'), 1))).toBe('-12.6');
    expect(formatFixedDecimal(divideFixed(FIXED_ONE, fixed('3')))).toBe('0.333333333333');
  });

  it('parses only plain non-negative decimals', () => {
    expect(parseFixedDecimal('5.5')).toBe(5_500_000_000_000n);
    for (const text of ['', '-1', '1e3', 'abc', '1.2.3']) expect(parseFixedDecimal(text)).toBeUndefined();
  });
});
