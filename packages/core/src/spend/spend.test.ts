import { describe, expect, it } from 'vitest';
import { formatUsd, parseUsd } from '../pricing/money.js';
import { createBudgetGuard } from './budget-guard.js';
import { periodWindow } from './budget-period.js';
import { createMemoryBudgetStore } from './budget-store.js';
import { createFeeSchedule } from './fee-schedule.js';
import { type LedgerEntry, ledgerToCsv, summarizeSpend } from './spend-ledger.js';
import { compileMatch } from './spend-scope.js';

const entry = (overrides: Partial<LedgerEntry>): LedgerEntry => ({
  time: '2026-11-29T10:00:00.000Z',
  requestId: 'swy-1',
  attempt: 1,
  key: 'team-a',
  user: undefined,
  tags: [],
  route: 'default',
  target: 'cheap',
  provider: 'openrouter',
  model: 'x/y',
  servedModel: 'x/y',
  outcome: 'success',
  promptTokens: 10,
  completionTokens: 5,
  tokenCostUsd: '0',
  feeUsd: '0',
  costUsd: '0',
  reportedCostUsd: undefined,
  costMismatch: false,
  estimated: false,
  ...overrides,
});

describe('periodWindow', () => {
  it('aligns windows to the UTC calendar', () => {
    const now = Date.parse('2026-02-14T13:45:30.250Z');
    expect(periodWindow('minute', now)).toEqual({
      start: Date.parse('2026-02-14T13:45:00Z'),
      end: Date.parse('2026-02-14T13:46:00Z'),
    });
    expect(periodWindow('hour', now).start).toBe(Date.parse('2026-02-14T13:00:00Z'));
    expect(periodWindow('day', now)).toEqual({
      start: Date.parse('2026-02-14T00:00:00Z'),
      end: Date.parse('2026-02-15T00:00:00Z'),
    });
    expect(periodWindow('month', now)).toEqual({
      start: Date.parse('2026-02-01T00:00:00Z'),
      end: Date.parse('2026-03-01T00:00:00Z'),
    });
    expect(periodWindow('month', Date.parse('2026-12-31T23:59:59Z')).end).toBe(
      Date.parse('2027-01-01T00:00:00Z'),
    );
  });
});

describe('compileMatch', () => {
  it('matches exactly, with * wildcards, or everything', () => {
    expect(compileMatch('*:free')('meta-llama/llama-3.3-70b-instruct:free')).toBe(true);
    expect(compileMatch('*:free')('meta-llama/llama-3.3-70b-instruct')).toBe(false);
    expect(compileMatch('openai/*')('openai/gpt-4o')).toBe(true);
    expect(compileMatch('a.b')('axb')).toBe(false);
    expect(compileMatch(undefined)('anything')).toBe(true);
  });
});

describe('budget guard over the memory store', () => {
  it('reserves all buckets or none, and settles to the actual cost', async () => {
    let now = Date.parse('2026-11-29T10:00:00Z');
    const guard = createBudgetGuard({
      budgets: [
        { scope: 'key', usd: '1', period: 'day' },
        { scope: 'route', match: 'smart', usd: '0.5', period: 'hour' },
      ],
      store: createMemoryBudgetStore({ now: () => now }),
      now: () => now,
    });
    const context = { caller: { key: 'k' }, route: 'smart', model: 'x/y', provider: 'p' };
    const first = await guard.reserve({ context, amount: parseUsd('0.4') });
    expect(first.ok).toBe(true);
    const second = await guard.reserve({ context, amount: parseUsd('0.2') });
    expect(second).toMatchObject({
      ok: false,
      denial: { budget: 'route:smart', limitUsd: '0.5', spentUsd: '0', reservedUsd: '0.4', neededUsd: '0.2' },
    });
    if (!first.ok) throw new Error('unreachable');
    await guard.settle(first.reservation, parseUsd('0.05'));
    expect((await guard.reserve({ context, amount: parseUsd('0.2') })).ok).toBe(true);
    // The hourly route budget starts over in the next hour; the daily key budget does not.
    now += 3_600_000;
    const later = await guard.reserve({ context, amount: parseUsd('0.5') });
    expect(later.ok).toBe(true);
    const over = await guard.reserve({ context, amount: parseUsd('0.5') });
    expect(over).toMatchObject({
      ok: false,
      denial: { budget: 'key', spentUsd: '0.05', reservedUsd: '0.7' },
    });
  });
});

describe('fee schedule', () => {
  it('charges the configured percent, after a monthly BYOK allowance', () => {
    const schedule = createFeeSchedule({
      providers: {
        card: { baseURL: 'http://x', fee: { percent: '5.5' } },
        byok: { baseURL: 'http://x', fee: { percent: '5', freeRequestsPerMonth: 1 } },
        none: { baseURL: 'http://x' },
      },
      now: () => Date.parse('2026-11-29T00:00:00Z'),
    });
    expect(formatUsd(schedule.charge({ provider: 'card', tokenCost: parseUsd('2') }))).toBe('0.11');
    expect(schedule.charge({ provider: 'byok', tokenCost: parseUsd('2') })).toBe(0n);
    expect(formatUsd(schedule.charge({ provider: 'byok', tokenCost: parseUsd('2') }))).toBe('0.1');
    expect(schedule.charge({ provider: 'none', tokenCost: parseUsd('2') })).toBe(0n);
  });
});

describe('ledger', () => {
  it('sums a million attempts exactly to the sum of their parts', () => {
    const entries = Array.from({ length: 1_000_000 }, (_, index) =>
      entry({
        tokenCostUsd: index % 2 === 0 ? '0.00002352' : '0.000000015',
        feeUsd: index % 2 === 0 ? '0.0000012936' : '0',
      }),
    );
    const summary = summarizeSpend(entries);
    // 500,000 × 0.00002352 + 500,000 × 0.000000015 = 11.76 + 0.0075; fees 500,000 × 0.0000012936 = 0.6468
    expect(summary).toMatchObject({
      attempts: 1_000_000,
      tokenCostUsd: '11.7675',
      feeUsd: '0.6468',
      costUsd: '12.4143',
    });
  });

  it('escapes CSV fields', () => {
    const csv = ledgerToCsv([entry({ user: 'Doe, "Jr"', tags: ['a', 'b'] })]);
    expect(csv.split('\r\n')[1]).toContain(',"Doe, ""Jr""",a;b,');
  });
});
