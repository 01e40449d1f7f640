import { parseUsd, summarizeSpend } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisSentinelSetup, startRedisSentinel, uniquePrefix } from '../src/testing.js';
import { eventually, MINI, sendUntilStopped, startFleet, startMock, startSlowLink } from './fixture.js';
import { budgetHashes } from './redis-keys-fixture.js';

const PASSWORD = 'sentinel-s3cret-p4ss';
let setup: RedisSentinelSetup;
beforeAll(async () => {
  // One replica: the one that acknowledged every write is the one the sentinel promotes.
  setup = await startRedisSentinel({ replicas: 1, sentinels: 1, password: PASSWORD });
}, 60_000);
afterAll(async () => {
  await setup?.stop();
});

describe('a fleet on a primary that Redis Sentinel fails over', () => {
  it('follows the promotion when the primary is killed mid-load, losing no ledger entry', async () => {
    const mock = await startMock();
    const prefix = uniquePrefix();
    const replicas = await startFleet({
      count: 2,
      mock,
      target: { sentinel: { name: setup.name, sentinels: setup.sentinels, password: PASSWORD } },
      store: { keyPrefix: prefix, waitForReplicas: { count: 1 } },
      config: {
        models: { mini: { provider: 'mock', model: MINI } },
        budgets: [{ scope: 'global', usd: '100', period: 'day' }],
        limits: [{ scope: 'key', rpm: 1_000_000 }],
      },
    });
    const first = await setup.primary();
    const load = sendUntilStopped(replicas, 6);
    await load.serve(150);
    await first.stop();
    // The sentinel promotes the replica; the old primary comes back as its replica, which writes
    // then wait for (until then they are refused and kept).
    await setup.healthy(20_000);
    expect(await setup.primary()).not.toBe(first);
    await setup.rejoin(first);
    await setup.healthy(20_000);
    await load.serve(150);
    await load.stop();
    for (const replica of replicas) {
      await eventually(
        () => expect(replica.store.backlog()).toEqual({ ledgerEntries: 0, settlements: 0 }),
        15_000,
      );
    }

    for (const error of load.refused) expect(error).toMatchObject({ code: 'store_unavailable', status: 503 });
    const ledger = (await replicas[0]?.router.ledger.query()) ?? [];
    expect(new Map(ledger.map((entry) => [entry.requestId, entry.costUsd]))).toEqual(
      new Map(load.served.map((request) => [request.id, request.costUsd])),
    );
    expect(ledger).toHaveLength(load.served.length);
    const total = parseUsd(summarizeSpend(ledger).costUsd);
    const [budget, ...others] = await budgetHashes(
      `redis://:${PASSWORD}@127.0.0.1:${(await setup.primary()).port}`,
      prefix,
    );
    expect(others).toEqual([]);
    expect(budget).toMatchObject({ spent: total, reserved: 0n });
    const logs = replicas.flatMap((replica) => replica.logs).join('\n');
    expect(logs).toMatch(
      new RegExp(`Redis at sentinel "${setup.name}" at redis://127\\.0\\.0\\.1:\\d+ is unreachable`),
    );
    expect(logs).toMatch(/is back/);
    expect(logs).not.toContain(PASSWORD);
  }, 90_000);
});

describe('a fleet whose link to the sentinels is slow', () => {
  let slow: RedisSentinelSetup;
  beforeAll(async () => {
    slow = await startRedisSentinel({ replicas: 1, sentinels: 1, password: PASSWORD });
  }, 60_000);
  afterAll(async () => {
    await slow?.stop();
  });

  // ioredis ends a client for good when the sentinels announce the promotion (+switch-master)
  // while it is asking them for the primary; over a slow link it always is. The store starts its
  // ended clients again, so the fleet follows the promotion anyway.
  it('follows a promotion announced while it asks the sentinels for the primary', async () => {
    const mock = await startMock();
    const link = await startSlowLink(Number(new URL(slow.sentinels[0] as string).port), 250);
    const replicas = await startFleet({
      count: 1,
      mock,
      target: {
        sentinel: {
          name: slow.name,
          sentinels: [`redis://:${PASSWORD}@127.0.0.1:${link}`],
          password: PASSWORD,
        },
      },
      config: {
        models: { mini: { provider: 'mock', model: MINI } },
        budgets: [{ scope: 'global', usd: '100', period: 'day' }],
      },
    });
    const load = sendUntilStopped(replicas, 2);
    await load.serve(20);
    await (await slow.primary()).stop();
    await slow.healthy(20_000);
    await load.serve(20);
    await load.stop();

    for (const error of load.refused) expect(error).toMatchObject({ code: 'store_unavailable', status: 503 });
    const logs = replicas.flatMap((replica) => replica.logs).join('\n');
    expect(logs).toMatch(/connection stopped reconnecting; starting it again/);
    expect(logs).toMatch(/is back/);
    expect(logs).not.toContain(PASSWORD);
  }, 60_000);
});
