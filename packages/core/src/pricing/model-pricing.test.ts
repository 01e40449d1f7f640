import { describe, expect, it } from 'vitest';
import type { UsageReport } from '../trace/routing-trace.js';
import { estimateCost, parsePricing, usageCost } from './model-pricing.js';
import { formatUsd } from './money.js';

const usage = (overrides: Partial<UsageReport>): UsageReport => ({
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  reportedCost: undefined,
  ...overrides,
});

describe('usageCost', () => {
  it('prices prompt and completion tokens plus the request fee', () => {
    const pricing = parsePricing({ prompt: '0.00000012', completion: '0.0000003', request: '0.001' });
    expect(formatUsd(usageCost(pricing, usage({ promptTokens: 194, completionTokens: 2 })))).toBe(
      '0.00102388',
    );
  });

  it('prices cached and reasoning tokens apart when the catalog does', () => {
    const pricing = parsePricing({
      prompt: '0.000003',
      completion: '0.000015',
      input_cache_read: '0.0000003',
      internal_reasoning: '0.00001',
    });
    const cost = usageCost(
      pricing,
      usage({ promptTokens: 1000, cachedTokens: 800, completionTokens: 100, reasoningTokens: 60 }),
    );
    // 200 × 3e-6 + 800 × 3e-7 + 40 × 1.5e-5 + 60 × 1e-5
    expect(formatUsd(cost)).toBe('0.00204');
  });

  it('charges cached and reasoning tokens at the base prices when not priced apart', () => {
    const pricing = parsePricing({ prompt: '0.000001', completion: '0.000002' });
    const cost = usageCost(
      pricing,
      usage({ promptTokens: 10, cachedTokens: 5, completionTokens: 10, reasoningTokens: 5 }),
    );
    expect(formatUsd(cost)).toBe('0.00003');
  });

  it('estimates a request before usage is known', () => {
    const pricing = parsePricing({ prompt: '0.000001', completion: '0.000002', request: '0.0001' });
    expect(formatUsd(estimateCost(pricing, { promptTokens: 100, completionTokens: 50 }))).toBe('0.0003');
  });
});
