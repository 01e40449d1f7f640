import { type LedgerEntry, parseUsd, summarizeSpend } from '@switchyard/core';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisStore, storeFromConfig } from '../src/index.js';
import { uniquePrefix } from '../src/testing.js';
import { ask, MINI, redisUrl, startFleet, startMock } from './fleet-fixture.js';

const entryOf = (index: number): LedgerEntry => ({
  time: new Date().toISOString(),
  requestId: `swy-${index}`,
  attempt: 1,
  key: 'team-a',
  user: undefined,
  tags: [],
  route: 'main',
  target: 'a',
  provider: 'mock',
  model: MINI,
  servedModel: MINI,
  outcome: 'success',
  promptTokens: 10,
  completionTokens: 5,
  tokenCostUsd: '0.0000045',
  feeUsd: '0',
  costUsd: '0.0000045',
  reportedCostUsd: undefined,
  costMismatch: false,
  estimated: false,
});

describe('the Redis ledger with ledger bounds', () => {
  it('trims the stream to maxEntries across a fleet, counting every entry it removed', async () => {
    const mock = await startMock();
    const prefix = uniquePrefix();
    const replicas = await startFleet({
      count: 2,
      mock,
      config: { models: { mini: { provider: 'mock', model: MINI } } },
      store: { keyPrefix: prefix, ledger: { maxEntries: 40 } },
    });
    let served = 0;
    for (let index = 0; index < 150; index += 1) {
      const replica = replicas[index % 2];
      await replica?.router.chat(ask('mini'));
      served += 1;
    }
    const [first, second] = replicas;
    if (first === undefined || second === undefined) throw new Error('no fleet');
    // Each replica trims after its own 64 appends; between trims the stream may run over its cap.
    const held = await second.router.ledger.query();
    expect(held.length).toBeLessThanOrEqual(40 + 2 * 64);
    expect(held.length + (await first.store.trimmedLedgerEntries())).toBe(served);
    await first.store.trimLedger();
    const after = await first.router.ledger.query();
    expect(after).toHaveLength(40);
    expect(await second.store.trimmedLedgerEntries()).toBe(served - 40);
    // The newest entries stay.
    expect(after.at(-1)?.requestId).toBe(held.at(-1)?.requestId);
  });

  it('trims entries older than retentionSeconds by Redis’s clock', async () => {
    const store = createRedisStore({
      url: redisUrl(),
      keyPrefix: uniquePrefix(),
      ledger: { retentionSeconds: 1 },
    });
    try {
      await store.ready(5000);
      for (let index = 0; index < 5; index += 1) await store.ledger.append(entryOf(index));
      expect(await store.trimLedger()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await store.ledger.append(entryOf(5));
      expect(await store.trimLedger()).toBe(5);
      const left = await store.ledger.query();
      expect(left.map((entry) => entry.requestId)).toEqual(['swy-5']);
      expect(summarizeSpend(left).costUsd).toBe('0.0000045');
      expect(await store.trimmedLedgerEntries()).toBe(5);
    } finally {
      await store.close();
    }
  });

  it('never trims without bounds, as before', async () => {
    const prefix = uniquePrefix();
    const store = createRedisStore({ url: redisUrl(), keyPrefix: prefix });
    const raw = new Redis(redisUrl());
    try {
      await store.ready(5000);
      for (let index = 0; index < 70; index += 1) await store.ledger.append(entryOf(index));
      expect(await store.trimLedger()).toBe(0);
      expect(await raw.xlen(`${prefix}:ledger`)).toBe(70);
      expect(await store.trimmedLedgerEntries()).toBe(0);
      expect(parseUsd(summarizeSpend(await store.ledger.query()).costUsd)).toBe(parseUsd('0.000315'));
    } finally {
      raw.disconnect();
      await store.close();
    }
  });

  it('takes the bounds from the config’s ledger section, and refuses bad ones by name', async () => {
    const store = storeFromConfig(
      { store: { type: 'redis', url: redisUrl(), keyPrefix: uniquePrefix() }, ledger: { maxEntries: 3 } },
      { log: () => undefined },
    );
    try {
      await store?.ready(5000);
      for (let index = 0; index < 5; index += 1) await store?.ledger.append(entryOf(index));
      expect(await store?.trimLedger()).toBe(2);
      expect((await store?.ledger.query())?.map((entry) => entry.requestId)).toEqual([
        'swy-2',
        'swy-3',
        'swy-4',
      ]);
    } finally {
      await store?.close();
    }
    expect(() => createRedisStore({ url: redisUrl(), ledger: { maxEntries: 1.5 } })).toThrow(
      'ledger maxEntries must be a positive integer, got 1.5',
    );
  });
});
