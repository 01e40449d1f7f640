import { parseUsd, summarizeSpend } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisCluster, startRedisCluster, uniquePrefix } from '../src/testing.js';
import { eventually, MINI, sendUntilStopped, startFleet, startMock } from './fixture.js';
import { budgetHashes } from './redis-keys-fixture.js';

const PASSWORD = 'failover-s3cret-p4ss';
let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster({ primaries: 3, replicasPerPrimary: 1, password: PASSWORD });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describe('a fleet on a Redis Cluster whose primary dies mid-load', () => {
  it('loses no ledger entry and counts no money twice when the ledger’s primary is killed, and in a switch back', async () => {
    const mock = await startMock();
    const prefix = uniquePrefix();
    const replicas = await startFleet({
      count: 2,
      mock,
      target: { cluster: { nodes: cluster.nodes } },
      // Each write counts once its primary's replica has it: the kill cannot take one along.
      store: { keyPrefix: prefix, waitForReplicas: { count: 1 } },
      config: {
        models: { mini: { provider: 'mock', model: MINI } },
        budgets: [
          { scope: 'global', usd: '100', period: 'day' },
          { scope: 'key', usd: '100', period: 'day' },
        ],
        limits: [{ scope: 'key', rpm: 1_000_000 }],
      },
    });
    const victim = await cluster.primaryOf(`{${prefix}}`);
    const load = sendUntilStopped(replicas, 8);
    await load.serve(200);
    await victim.stop();
    const servedBeforeKill = load.served.length;
    // Its replica takes over; the node comes back as the new primary's replica (as an operator
    // or an orchestrator would restart it), and writes wait for it as they did before.
    await cluster.healthy(20_000);
    await victim.restart();
    await cluster.healthy(20_000);
    await load.serve(200);
    // And back, as an operator would after a repair: a coordinated failover loses nothing either.
    await cluster.failover(victim);
    await cluster.healthy(20_000);
    expect(await cluster.primaryOf(`{${prefix}}`)).toBe(victim);
    await load.serve(200);
    await load.stop();
    for (const replica of replicas) {
      await eventually(
        () => expect(replica.store.backlog()).toEqual({ ledgerEntries: 0, settlements: 0 }),
        15_000,
      );
    }

    // Requests wait for the promotion; any that did not were refused by the store, and only by it.
    for (const error of load.refused) expect(error).toMatchObject({ code: 'store_unavailable', status: 503 });
    expect(servedBeforeKill).toBeGreaterThanOrEqual(200);
    // Every served request is in the ledger once, at the cost its caller was told; nothing else is.
    const ledger = (await replicas[1]?.router.ledger.query()) ?? [];
    const byRequest = new Map<string, string>();
    for (const entry of ledger) {
      expect(byRequest.has(entry.requestId)).toBe(false);
      byRequest.set(entry.requestId, entry.costUsd);
    }
    expect(byRequest).toEqual(new Map(load.served.map((request) => [request.id, request.costUsd])));
    // The budgets hold what the ledger holds, to the picodollar, and nothing stays reserved.
    const total = parseUsd(summarizeSpend(ledger).costUsd);
    const hashes = await budgetHashes((await cluster.primaryOf(`{${prefix}}`)).url, prefix);
    expect(hashes).toHaveLength(2);
    for (const hash of hashes) expect(hash).toMatchObject({ spent: total, reserved: 0n });
    const logs = replicas.flatMap((replica) => replica.logs).join('\n');
    expect(logs).toMatch(/unreachable .*failing CLOSED/);
    expect(logs).toMatch(/is back/);
    expect(logs).not.toContain(PASSWORD);
  }, 90_000);
});
