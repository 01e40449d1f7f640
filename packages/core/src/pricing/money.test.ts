import { describe, expect, it } from 'vitest';
import { formatUsd, parseUsd, percentOf, usdFromNumber } from './money.js';

describe('money', () => {
  it('parses decimal USD strings exactly into picodollars', () => {
    expect(parseUsd('0.00000012')).toBe(120_000n);
    expect(parseUsd('0')).toBe(0n);
    expect(parseUsd('15')).toBe(15_000_000_000_000n);
    expect(parseUsd('0.000000000001')).toBe(1n);
  });

  it('rounds digits beyond the twelfth decimal half up', () => {
    expect(parseUsd('0.0000000000014')).toBe(1n);
    expect(parseUsd('0.0000000000015')).toBe(2n);
  });

  it('rejects anything but a plain decimal', () => {
    expect(() => parseUsd('-1')).toThrow('not a USD decimal string: "-1"');
    expect(() => parseUsd('1e-7')).toThrow(TypeError);
    expect(() => parseUsd('')).toThrow(TypeError);
  });

  it('formats without trailing zeros and round-trips', () => {
    expect(formatUsd(23_520_000n)).toBe('0.00002352');
    expect(formatUsd(0n)).toBe('0');
    expect(formatUsd(1_500_000_000_000n)).toBe('1.5');
    for (const text of ['0.000071', '12.345678901234', '0.1']) expect(formatUsd(parseUsd(text))).toBe(text);
  });

  it('converts float costs reported upstream', () => {
    expect(usdFromNumber(0.000071)).toBe(71_000_000n);
    expect(() => usdFromNumber(Number.NaN)).toThrow(TypeError);
    expect(() => usdFromNumber(-0.5)).toThrow(TypeError);
  });

  it('sums a million attempts exactly where floats drift', () => {
    const price = parseUsd('0.00000012');
    let exact = 0n;
    let float = 0;
    for (let index = 0; index < 1_000_000; index += 1) {
      exact += 196n * price;
      float += 196 * 0.00000012;
    }
    expect(formatUsd(exact)).toBe('23.52');
    expect(float).not.toBe(23.52);
  });
});

describe('percentOf', () => {
  it('takes an exact percent, rounding half up to the picodollar', () => {
    expect(formatUsd(percentOf(parseUsd('500'), '5.5'))).toBe('27.5');
    expect(formatUsd(percentOf(parseUsd('0.000001'), '5'))).toBe('0.00000005');
    expect(percentOf(1n, '50')).toBe(1n);
    expect(percentOf(1n, '49')).toBe(0n);
    expect(percentOf(parseUsd('123.456'), '0')).toBe(0n);
  });
});
