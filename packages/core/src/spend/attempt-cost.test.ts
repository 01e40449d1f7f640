import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../config/config-types.js';
import { resolveConfig } from '../config/resolve-config.js';
import { parsePricing } from '../pricing/model-pricing.js';
import { formatUsd, parseUsd } from '../pricing/money.js';
import { newAttemptRecord } from '../trace/new-attempt-record.js';
import type { AttemptTrace, UsageReport } from '../trace/routing-trace.js';
import type { ChatResponse } from '../types/chat.js';
import {
  type AttemptCost,
  type CostCheck,
  differs,
  priceAttempt,
  readUsage,
  recordCost,
} from './attempt-cost.js';
import { createFeeSchedule } from './fee-schedule.js';

const NOW = Date.parse('2026-03-10T18:00:00.000Z');

const PROVIDERS: Record<string, ProviderConfig> = {
  plain: { baseURL: 'http://127.0.0.1:1/v1' },
  openrouter: { baseURL: 'http://127.0.0.1:1/api/v1', fee: { percent: '5.5' } },
  byok: { baseURL: 'http://127.0.0.1:1/api/v1', fee: { percent: '5.5', freeRequestsPerMonth: 1 } },
};

/** USD 1 per million prompt tokens, 2 per million completion, cache reads and reasoning at their own. */
const PRICES = parsePricing({
  prompt: '0.000001',
  completion: '0.000002',
  input_cache_read: '0.0000001',
  internal_reasoning: '0.000003',
  request: '0.0001',
});
/** The same prompt and completion prices, nothing else. */
const PLAIN_PRICES = parsePricing({ prompt: '0.000001', completion: '0.000002' });

/** The cost check a router gets from its resolved configuration (5% tolerance, 5 USD cap). */
const CHECK: CostCheck = resolveConfig({ providers: PROVIDERS }).costCheck;

const usage = (overrides: Partial<UsageReport> = {}): UsageReport => ({
  promptTokens: 1_000,
  completionTokens: 500,
  totalTokens: 1_500,
  cachedTokens: 400,
  cacheWriteTokens: 0,
  reasoningTokens: 200,
  reportedCost: undefined,
  ...overrides,
});

/** Prices one attempt at the fee-less provider unless told otherwise. */
function price(input: Partial<Parameters<typeof priceAttempt>[0]>): AttemptCost {
  return priceAttempt({
    pricing: PRICES,
    provider: 'plain',
    usage: usage(),
    estimatePromptTokens: undefined,
    check: CHECK,
    fees: createFeeSchedule({ providers: PROVIDERS, now: () => NOW }),
    ...input,
  });
}

function attemptRecord(): AttemptTrace {
  return newAttemptRecord({
    index: 0,
    target: { name: 'cheap', provider: 'openrouter', model: 'meta-llama/llama-3.3-70b-instruct' },
    round: 1,
    attemptsLeft: 9,
    retry: 0,
    worstCaseUsd: undefined,
  });
}

describe('priceAttempt', () => {
  it('prices uncached, cached, completion and reasoning tokens each at their own price, plus the request', () => {
    // 600 × 1e-6 + 400 × 1e-7 + 300 × 2e-6 + 200 × 3e-6 + 1e-4 = 0.00194 USD
    expect(price({})).toEqual({
      tokenCost: 1_940_000_000n,
      fee: 0n,
      reported: undefined,
      mismatch: false,
      estimated: false,
      basis: 'sent_model',
      sentModelTokenCost: undefined,
    });
    expect(formatUsd(price({}).tokenCost)).toBe('0.00194');
  });

  it('prices cached tokens as prompt and reasoning as completion tokens when they have no price of their own', () => {
    // 1000 × 1e-6 + 500 × 2e-6 = 0.002 USD
    expect(price({ pricing: PLAIN_PRICES }).tokenCost).toBe(parseUsd('0.002'));
  });

  it('never counts more cached or reasoning tokens than the prompt and completion hold', () => {
    const cost = price({
      usage: usage({ promptTokens: 100, cachedTokens: 150, completionTokens: 10, reasoningTokens: 50 }),
    });
    // 100 × 1e-7 + 10 × 3e-6 + 1e-4
    expect(cost.tokenCost).toBe(parseUsd('0.00014'));
  });

  it('keeps the reported cost and flags no mismatch within the tolerance, boundary included', () => {
    const at = (reportedCost: number) => price({ pricing: PLAIN_PRICES, usage: usage({ reportedCost }) });
    expect(at(0.002)).toMatchObject({
      tokenCost: parseUsd('0.002'),
      reported: parseUsd('0.002'),
      mismatch: false,
    });
    expect(at(0.0021)).toMatchObject({ reported: parseUsd('0.0021'), mismatch: false });
    expect(at(0.0019)).toMatchObject({ reported: parseUsd('0.0019'), mismatch: false });
  });

  it('flags a reported cost beyond the tolerance but still charges the computed one', () => {
    const at = (reportedCost: number) => price({ pricing: PLAIN_PRICES, usage: usage({ reportedCost }) });
    expect(at(0.002100001)).toEqual({
      tokenCost: parseUsd('0.002'),
      fee: 0n,
      reported: parseUsd('0.002100001'),
      mismatch: true,
      estimated: false,
      basis: 'sent_model',
      sentModelTokenCost: undefined,
    });
    expect(at(0.0018999).mismatch).toBe(true);
    expect(at(0).mismatch).toBe(true);
  });

  it('uses the configured tolerance', () => {
    const check = resolveConfig({ providers: PROVIDERS, costCheck: { tolerance: 0 } }).costCheck;
    const cost = price({ pricing: PLAIN_PRICES, usage: usage({ reportedCost: 0.002000000001 }), check });
    expect(cost.mismatch).toBe(true);
  });

  it('charges an unpriced model its reported cost', () => {
    expect(price({ pricing: undefined, usage: usage({ reportedCost: 0.5 }) })).toEqual({
      tokenCost: 500_000_000_000n,
      fee: 0n,
      reported: 500_000_000_000n,
      mismatch: false,
      estimated: false,
      basis: 'reported',
      sentModelTokenCost: undefined,
    });
  });

  it('caps an unpriced model’s implausible reported cost at maxReported, and flags it', () => {
    const cost = price({ pricing: undefined, usage: usage({ reportedCost: 12 }) });
    expect(cost).toEqual({
      tokenCost: parseUsd('5'),
      fee: 0n,
      reported: parseUsd('12'),
      mismatch: true,
      estimated: false,
      basis: 'reported',
      sentModelTokenCost: undefined,
    });
    const check = resolveConfig({ providers: PROVIDERS, costCheck: { maxReportedUsd: '0.25' } }).costCheck;
    expect(price({ pricing: undefined, usage: usage({ reportedCost: 0.25 }), check })).toMatchObject({
      tokenCost: parseUsd('0.25'),
      mismatch: false,
    });
    expect(
      price({ pricing: undefined, usage: usage({ reportedCost: 0.250000000001 }), check }),
    ).toMatchObject({
      tokenCost: parseUsd('0.25'),
      mismatch: true,
    });
  });

  it('charges nothing for an unpriced model that reported no cost', () => {
    expect(price({ pricing: undefined })).toEqual({
      tokenCost: 0n,
      fee: 0n,
      reported: undefined,
      mismatch: false,
      estimated: false,
      basis: 'none',
      sentModelTokenCost: undefined,
    });
  });

  it('charges nothing without usage', () => {
    expect(price({ usage: undefined })).toEqual({
      tokenCost: 0n,
      fee: 0n,
      reported: undefined,
      mismatch: false,
      estimated: false,
      basis: 'none',
      sentModelTokenCost: undefined,
    });
  });

  it('charges the estimated prompt, and says so, when asked to without usage', () => {
    // 1000 × 1e-6 + 1e-4: no completion tokens
    expect(price({ usage: undefined, estimatePromptTokens: 1_000 })).toEqual({
      tokenCost: parseUsd('0.0011'),
      fee: 0n,
      reported: undefined,
      mismatch: false,
      estimated: true,
      basis: 'estimate',
      sentModelTokenCost: undefined,
    });
  });

  it('cannot estimate an unpriced model, and ignores the estimate when usage was reported', () => {
    expect(price({ pricing: undefined, usage: undefined, estimatePromptTokens: 1_000 })).toMatchObject({
      tokenCost: 0n,
      estimated: false,
    });
    expect(price({ estimatePromptTokens: 1 })).toMatchObject({ tokenCost: 1_940_000_000n, estimated: false });
  });

  it('adds the provider’s fee on top of the token cost, exactly', () => {
    // 5.5% of 0.00194 USD
    expect(price({ provider: 'openrouter' })).toMatchObject({ tokenCost: 1_940_000_000n, fee: 106_700_000n });
    expect(price({ provider: 'openrouter', usage: undefined, estimatePromptTokens: 1_000 })).toMatchObject({
      tokenCost: 1_100_000_000n,
      fee: 60_500_000n,
    });
    expect(
      price({ provider: 'openrouter', pricing: undefined, usage: usage({ reportedCost: 12 }) }).fee,
    ).toBe(parseUsd('0.275'));
  });

  it('rounds the fee half up to the picodollar', () => {
    const pico = parsePricing({ prompt: '0.000000000001' });
    const at = (promptTokens: number) =>
      price({
        provider: 'openrouter',
        pricing: pico,
        usage: usage({ promptTokens, cachedTokens: 0, completionTokens: 0 }),
      });
    expect(at(10)).toMatchObject({ tokenCost: 10n, fee: 1n }); // 0.55 pico
    expect(at(9)).toMatchObject({ tokenCost: 9n, fee: 0n }); // 0.495 pico
  });

  it('counts each attempt against a BYOK allowance before charging the fee', () => {
    const fees = createFeeSchedule({ providers: PROVIDERS, now: () => NOW });
    expect(price({ provider: 'byok', fees }).fee).toBe(0n);
    expect(price({ provider: 'byok', fees }).fee).toBe(106_700_000n);
  });
});

describe('differs', () => {
  it('compares the difference to the tolerance relative to the computed amount, either way', () => {
    expect(differs(105n, 100n, 0.05)).toBe(false);
    expect(differs(95n, 100n, 0.05)).toBe(false);
    expect(differs(1_050_001n, 1_000_000n, 0.05)).toBe(true);
    expect(differs(949_999n, 1_000_000n, 0.05)).toBe(true);
    expect(differs(100n, 100n, 0)).toBe(false);
    expect(differs(101n, 100n, 0)).toBe(true);
  });

  it('flags any reported amount when nothing was computed', () => {
    expect(differs(0n, 0n, 0.05)).toBe(false);
    expect(differs(1n, 0n, 0.05)).toBe(true);
  });
});

describe('readUsage', () => {
  it('reads OpenAI usage with OpenRouter’s cost', () => {
    const reported: ChatResponse['usage'] = {
      prompt_tokens: 1_000,
      completion_tokens: 500,
      total_tokens: 1_500,
      prompt_tokens_details: { cached_tokens: 400 },
      completion_tokens_details: { reasoning_tokens: 200 },
      cost: 0.00194,
    };
    expect(readUsage(reported)).toEqual(usage({ reportedCost: 0.00194 }));
  });

  it('fills what the upstream left out', () => {
    const reported = { prompt_tokens: 12, completion_tokens: 3 } as ChatResponse['usage'];
    expect(readUsage(reported)).toEqual({
      promptTokens: 12,
      completionTokens: 3,
      totalTokens: 15,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      reportedCost: undefined,
    });
    expect(readUsage({} as ChatResponse['usage'])).toEqual({
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      reportedCost: undefined,
    });
  });

  it('reads cache writes, and never lets a malformed token count break pricing', () => {
    const written = readUsage({
      prompt_tokens: 100,
      completion_tokens: 10,
      prompt_tokens_details: { cached_tokens: 20, cache_write_tokens: 30 },
    } as ChatResponse['usage']);
    expect(written).toMatchObject({ cachedTokens: 20, cacheWriteTokens: 30 });
    const malformed = readUsage({
      prompt_tokens: 10.5,
      completion_tokens: -3,
      total_tokens: Number.NaN,
    } as ChatResponse['usage']);
    expect(malformed).toMatchObject({ promptTokens: 11, completionTokens: 0, totalTokens: 0 });
    expect(price({ usage: malformed }).tokenCost).toBeGreaterThanOrEqual(0n);
  });

  it('reads no usage from null or undefined', () => {
    expect(readUsage(undefined)).toBeUndefined();
    expect(readUsage(null)).toBeUndefined();
  });

  it('keeps a reported cost of zero', () => {
    expect(
      readUsage({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, cost: 0 })?.reportedCost,
    ).toBe(0);
  });

  it.each([-0.01, Number.NaN, Number.POSITIVE_INFINITY, '0.01'])('drops a reported cost of %s', (cost) => {
    const reported = {
      prompt_tokens: 1,
      completion_tokens: 1,
      total_tokens: 2,
      cost,
    } as ChatResponse['usage'];
    const read = readUsage(reported);
    expect(read?.reportedCost).toBeUndefined();
    expect(price({ pricing: undefined, usage: read })).toMatchObject({ tokenCost: 0n, reported: undefined });
  });
});

describe('recordCost', () => {
  it('writes the cost into the attempt’s trace as exact USD strings, fee included', () => {
    const record = attemptRecord();
    recordCost(record, price({ provider: 'openrouter', usage: usage({ reportedCost: 0.00194 }) }));
    expect(record).toMatchObject({
      tokenCostUsd: '0.00194',
      feeUsd: '0.0001067',
      costUsd: '0.0020467',
      reportedCostUsd: '0.00194',
      costMismatch: false,
      costEstimated: false,
    });
  });

  it('writes a fee-less cost, a mismatch and an estimate', () => {
    const flagged = attemptRecord();
    recordCost(flagged, price({ pricing: undefined, usage: usage({ reportedCost: 12 }) }));
    expect(flagged).toMatchObject({
      tokenCostUsd: '5',
      feeUsd: '0',
      costUsd: '5',
      reportedCostUsd: '12',
      costMismatch: true,
      costEstimated: false,
    });
    const estimated = attemptRecord();
    recordCost(estimated, price({ usage: undefined, estimatePromptTokens: 1_000 }));
    expect(estimated).toMatchObject({
      tokenCostUsd: '0.0011',
      feeUsd: '0',
      costUsd: '0.0011',
      reportedCostUsd: undefined,
      costEstimated: true,
    });
  });

  it('writes zero as "0"', () => {
    const record = attemptRecord();
    recordCost(record, price({ usage: undefined }));
    expect(record).toMatchObject({
      tokenCostUsd: '0',
      feeUsd: '0',
      costUsd: '0',
      reportedCostUsd: undefined,
    });
  });
});
