import { describe, expect, it } from 'vitest';
import { computeCost, parseDecimalPrice } from './decimal-price.js';

describe('parseDecimalPrice', () => {
  it('parses plain decimal strings exactly', () => {
    expect(parseDecimalPrice('0.00000015')).toEqual({ units: 15n, scale: 8 });
    expect(parseDecimalPrice('0')).toEqual({ units: 0n, scale: 0 });
    expect(parseDecimalPrice('-1')).toEqual({ units: -1n, scale: 0 });
  });

  it('rejects exponents and junk', () => {
    expect(() => parseDecimalPrice('1e-7')).toThrow(/plain decimal/);
    expect(() => parseDecimalPrice('abc')).toThrow(/plain decimal/);
  });
});

describe('computeCost', () => {
  const pricing = {
    prompt: parseDecimalPrice('0.00000015'),
    completion: parseDecimalPrice('0.0000006'),
    request: parseDecimalPrice('0'),
  };

  it('gives the double nearest to the exact decimal result', () => {
    // 194 × 0.00000015 = 0.0000291 exactly; naive float maths gives 0.000029099999999999997.
    expect(computeCost({ promptTokens: 194, completionTokens: 0, pricing })).toBe(0.0000291);
    expect(computeCost({ promptTokens: 194, completionTokens: 2, pricing })).toBe(0.0000303);
  });

  it('adds the per-request fee once', () => {
    const withFee = { ...pricing, request: parseDecimalPrice('0.005') };
    expect(computeCost({ promptTokens: 0, completionTokens: 0, pricing: withFee })).toBe(0.005);
  });
});
