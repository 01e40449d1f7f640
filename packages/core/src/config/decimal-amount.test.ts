import { describe, expect, it } from 'vitest';
import { decimalAmount, decimalFromNumber } from './decimal-amount.js';

describe('decimalFromNumber', () => {
  it('writes the shortest decimal text of a number, exactly and without exponent', () => {
    expect(decimalFromNumber(5)).toBe('5');
    expect(decimalFromNumber(0)).toBe('0');
    expect(decimalFromNumber(-0)).toBe('0');
    expect(decimalFromNumber(0.25)).toBe('0.25');
    expect(decimalFromNumber(0.1)).toBe('0.1'); // not 0.1000000000000000055511151231257827
    expect(decimalFromNumber(5.5)).toBe('5.5');
    expect(decimalFromNumber(0.00000012)).toBe('0.00000012'); // String() gives "1.2e-7"
    expect(decimalFromNumber(1e-7)).toBe('0.0000001');
    expect(decimalFromNumber(1.5e-12)).toBe('0.0000000000015');
    expect(decimalFromNumber(0.000001)).toBe('0.000001'); // the last one String() writes plainly
    expect(decimalFromNumber(1e21)).toBe(`1${'0'.repeat(21)}`); // String() gives "1e+21"
    expect(decimalFromNumber(1.25e22)).toBe(`125${'0'.repeat(20)}`);
    expect(decimalFromNumber(123456.789)).toBe('123456.789');
  });

  it('refuses negative, infinite and NaN numbers', () => {
    expect(decimalFromNumber(-1)).toBeUndefined();
    expect(decimalFromNumber(-1e-7)).toBeUndefined();
    expect(decimalFromNumber(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(decimalFromNumber(Number.NaN)).toBeUndefined();
  });
});

describe('decimalAmount', () => {
  const amount = decimalAmount({ what: 'a USD amount', example: '5 or "0.25"' });
  const expected = 'expected a USD amount as a number or decimal string, e.g. 5 or "0.25"';

  it('turns numbers and decimal strings into decimal strings', () => {
    expect(amount.parse(5)).toBe('5');
    expect(amount.parse(2.5e-7)).toBe('0.00000025');
    expect(amount.parse('5')).toBe('5');
    expect(amount.parse('0.00000012')).toBe('0.00000012');
  });

  it('says what is accepted for anything else', () => {
    for (const bad of [
      -5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '-5',
      '1e-7',
      '$5',
      '5 USD',
      '',
      true,
      null,
      {},
    ]) {
      const result = amount.safeParse(bad);
      expect(result.success, String(bad)).toBe(false);
      expect(result.error?.issues.map((issue) => issue.message)).toEqual([expected]);
    }
  });
});
