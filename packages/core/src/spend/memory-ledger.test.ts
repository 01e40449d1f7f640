import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/support/fake-clock.js';
import { formatUsd, parseUsd } from '../pricing/money.js';
import { createMemoryLedger } from './memory-ledger.js';
import { type LedgerEntry, summarizeSpend } from './spend-ledger.js';

/** The `index`th entry: its cost grows with it, so each entry's money is distinct. */
const entryAt = (index: number, overrides: Partial<LedgerEntry> = {}): LedgerEntry => {
  const token = formatUsd(1_000_000n * BigInt(index + 1) + 7n); // $0.000001… per step, odd picodollars
  const fee = formatUsd(55_000n * BigInt(index + 1));
  return {
    time: new Date(1_700_000_000_000 + index).toISOString(),
    requestId: `swy-${index}`,
    attempt: 1,
    key: index % 2 === 0 ? 'team-a' : 'team-b',
    user: undefined,
    tags: [],
    route: index % 3 === 0 ? undefined : 'default',
    target: 'cheap',
    provider: 'openrouter',
    model: 'x/y',
    servedModel: 'x/y',
    outcome: 'success',
    promptTokens: 10,
    completionTokens: index,
    tokenCostUsd: token,
    feeUsd: fee,
    costUsd: formatUsd(parseUsd(token) + parseUsd(fee)),
    reportedCostUsd: undefined,
    costMismatch: false,
    estimated: false,
    ...overrides,
  };
};

const sumOf = (...amounts: string[]): string =>
  formatUsd(amounts.reduce((sum, usd) => sum + parseUsd(usd), 0n));

describe('createMemoryLedger', () => {
  it('holds at most maxEntries, evicting the oldest first', async () => {
    const ledger = createMemoryLedger({ maxEntries: 3 });
    const all = Array.from({ length: 10 }, (_, index) => entryAt(index));
    for (const entry of all) ledger.append(entry);
    expect((await ledger.query()).map((entry) => entry.requestId)).toEqual(['swy-7', 'swy-8', 'swy-9']);
    const stats = ledger.stats();
    expect(stats).toMatchObject({ held: 3, maxEntries: 3, retentionSeconds: undefined });
    expect(stats.evicted.attempts).toBe(7);
    expect(stats.evicted.newestTime).toBe(all[6]?.time);
  });

  it('counts the money of every evicted entry exactly, so held plus evicted is the whole spend', async () => {
    const ledger = createMemoryLedger({ maxEntries: 4 });
    const all = Array.from({ length: 25 }, (_, index) => entryAt(index));
    for (const entry of all) ledger.append(entry);
    const { evicted } = ledger.stats();
    const whole = summarizeSpend(all);
    const held = summarizeSpend(await ledger.query());
    expect(evicted).toMatchObject(summarizeSpend(all.slice(0, 21)));
    expect(sumOf(evicted.costUsd, held.costUsd)).toBe(whole.costUsd);
    expect(sumOf(evicted.feeUsd, held.feeUsd)).toBe(whole.feeUsd);
    expect(evicted.completionTokens + held.completionTokens).toBe(whole.completionTokens);
    expect(evicted.attempts + held.attempts).toBe(25);
  });

  it('keeps the evicted totals by key and by route ("" for none)', () => {
    const ledger = createMemoryLedger({ maxEntries: 1 });
    const all = Array.from({ length: 7 }, (_, index) => entryAt(index));
    for (const entry of all) ledger.append(entry);
    const { byKey, byRoute } = ledger.stats().evicted;
    const gone = all.slice(0, 6);
    expect(byKey).toEqual({
      'team-a': summarizeSpend(gone.filter((entry) => entry.key === 'team-a')),
      'team-b': summarizeSpend(gone.filter((entry) => entry.key === 'team-b')),
    });
    expect(byRoute).toEqual({
      '': summarizeSpend(gone.filter((entry) => entry.route === undefined)),
      default: summarizeSpend(gone.filter((entry) => entry.route === 'default')),
    });
  });

  it('evicts entries older than retentionSeconds on the injected clock', async () => {
    const clock = createFakeClock();
    const ledger = createMemoryLedger({ retentionSeconds: 60, now: clock.now });
    const stamped = (index: number) => entryAt(index, { time: new Date(clock.now()).toISOString() });
    ledger.append(stamped(0));
    clock.advance(30_000);
    ledger.append(stamped(1));
    clock.advance(30_001);
    expect((await ledger.query()).map((entry) => entry.requestId)).toEqual(['swy-1']);
    expect(ledger.stats()).toMatchObject({ held: 1, maxEntries: 100_000, retentionSeconds: 60 });
    expect(ledger.stats().evicted.attempts).toBe(1);
    clock.advance(30_000);
    expect(ledger.stats()).toMatchObject({ held: 0, evicted: { attempts: 2 } });
  });

  it('keeps order and every entry through many evictions (compaction included)', async () => {
    const ledger = createMemoryLedger({ maxEntries: 100 });
    for (let index = 0; index < 5_000; index += 1) ledger.append(entryAt(index));
    const held = await ledger.query();
    expect(held.map((entry) => entry.requestId)).toEqual(
      Array.from({ length: 100 }, (_, offset) => `swy-${4_900 + offset}`),
    );
    expect(ledger.stats().evicted.attempts).toBe(4_900);
  });

  it('drains the oldest entries for an exporter, counted apart from evictions', async () => {
    const ledger = createMemoryLedger({ maxEntries: 10 });
    const all = Array.from({ length: 6 }, (_, index) => entryAt(index));
    for (const entry of all) ledger.append(entry);
    expect(ledger.drainEntries({ max: 4 }).map((entry) => entry.requestId)).toEqual([
      'swy-0',
      'swy-1',
      'swy-2',
      'swy-3',
    ]);
    expect(ledger.drainEntries().map((entry) => entry.requestId)).toEqual(['swy-4', 'swy-5']);
    expect(ledger.drainEntries()).toEqual([]);
    expect(await ledger.query()).toEqual([]);
    const stats = ledger.stats();
    expect(stats.held).toBe(0);
    expect(stats.evicted.attempts).toBe(0);
    expect(stats.drained).toEqual(summarizeSpend(all));
    ledger.append(entryAt(6));
    expect((await ledger.query()).map((entry) => entry.requestId)).toEqual(['swy-6']);
  });

  it('refuses bounds that are not positive, naming them', () => {
    expect(() => createMemoryLedger({ maxEntries: 0 })).toThrow(
      'ledger maxEntries must be a positive integer, got 0',
    );
    expect(() => createMemoryLedger({ maxEntries: 2.5 })).toThrow(
      /maxEntries must be a positive integer, got 2.5/,
    );
    expect(() => createMemoryLedger({ retentionSeconds: -1 })).toThrow(
      'ledger retentionSeconds must be positive, got -1',
    );
  });
});
