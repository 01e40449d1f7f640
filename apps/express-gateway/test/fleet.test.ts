import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUsd, summarizeSpend } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { createRedisStore } from '@switchyard/redis';
import { sharedRedis, uniquePrefix } from '@switchyard/redis/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayProcesses } from './gateway-process.js';

const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const PAID = 'meta-llama/llama-3.3-70b-instruct';
const KEY = 'sk-fleet-test-gateway-key-0000';
const BUDGET_USD = '0.003';

let redis: { url: string; stop(): Promise<void> };
let mock: MockUpstream;
const gateways = gatewayProcesses();

beforeAll(async () => {
  redis = await sharedRedis();
  mock = await startMockUpstream();
});
afterAll(async () => {
  gateways.killAll();
  await mock.close();
  await redis.stop();
});

interface Outcome {
  replica: number;
  status: number | 'connection-error';
  requestId: string | null;
  code?: string;
}

describe('three gateway processes sharing one Redis', () => {
  it('hold one budget and one 20-per-minute limit, and lose no ledger entry when one is killed', async () => {
    const prefix = uniquePrefix();
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-fleet-'));
    const configFile = join(directory, 'switchyard.json');
    await writeFile(
      configFile,
      JSON.stringify({
        providers: { mock: { baseURL: mock.url, apiKey: 'sk-or-v1-fleet-provider-secret' } },
        models: {
          free: { provider: 'mock', model: FREE, pricing: { prompt: '0', completion: '0' } },
          paid: { provider: 'mock', model: PAID },
        },
        routes: { default: { strategy: 'fallback', targets: ['free', 'paid'] } },
        limits: [{ scope: 'model', match: '*:free', rpm: 20 }],
        budgets: [{ scope: 'global', usd: BUDGET_USD, period: 'day' }],
        keys: [{ name: 'fleet', key: KEY }],
        store: { type: 'redis', url: redis.url, keyPrefix: prefix, failMode: 'closed' },
      }),
    );
    const replicas = await Promise.all([0, 1, 2].map(() => gateways.start(configFile)));

    let servedByThird = 0;
    let killed = false;
    const send = async (replica: number): Promise<Outcome> => {
      try {
        const response = await fetch(`${replicas[replica]?.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'default',
            max_tokens: 50,
            messages: [{ role: 'user', content: 'Say hello to the fleet.' }],
          }),
        });
        const body = (await response.json()) as { error?: { code?: string; message?: string } };

        if (replica === 2 && response.status === 200) servedByThird += 1;
        // Mid-load, the third replica dies without a chance to flush anything.
        if (servedByThird === 10 && !killed) {
          killed = true;
          replicas[2]?.child.kill('SIGKILL');
        }
        return {
          replica,
          status: response.status,
          requestId: response.headers.get('x-switchyard-request-id'),
          ...(body.error?.code === undefined ? {} : { code: body.error.code }),
        };
      } catch {
        return { replica, status: 'connection-error', requestId: null };
      }
    };
    const outcomes = await Promise.all(Array.from({ length: 300 }, (_, index) => send(index % 3)));

    expect(killed).toBe(true);
    const served = outcomes.filter((outcome) => outcome.status === 200);
    // Refused: the :free target over its limit and the paid one over the budget (the answer
    // names the first target's reason: 429 rate_limited, or 402 once the limit window allows).
    const refused = outcomes.filter((outcome) => outcome.status === 402 || outcome.status === 429);
    expect(served.length).toBeGreaterThan(20);
    expect(refused.length).toBeGreaterThan(0);
    for (const outcome of refused) expect(['budget_exceeded', 'rate_limited']).toContain(outcome.code);
    // Nothing else: every request was served, refused, or cut by the kill.
    for (const outcome of outcomes) expect([200, 402, 429, 'connection-error']).toContain(outcome.status);
    expect(served.some((outcome) => outcome.replica === 2)).toBe(true);

    const reader = createRedisStore({ url: redis.url, keyPrefix: prefix });
    try {
      await reader.ready(5000);
      const ledger = await reader.ledger.query();
      // No completed request is missing from the shared ledger, the killed replica's included.
      const logged = new Set(
        ledger.filter((entry) => entry.outcome === 'success').map((entry) => entry.requestId),
      );
      for (const outcome of served) expect(logged).toContain(outcome.requestId);
      // Fleet-wide spend stays within the budget.
      expect(parseUsd(summarizeSpend(ledger).costUsd)).toBeLessThanOrEqual(parseUsd(BUDGET_USD));
      // The free-tier limit held across processes: at most 20 requests reached the :free model.
      const free = ledger.filter((entry) => entry.model === FREE);
      expect(free.length).toBeLessThanOrEqual(20);
      expect(free.length).toBeGreaterThan(0);
      expect(mock.requests.filter((request) => request.model === FREE).length).toBeLessThanOrEqual(20);
    } finally {
      await reader.close();
    }
  }, 60_000);
});
