import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatUsd, parseUsd, summarizeSpendBy } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { createRedisStore } from '@switchyard/redis';
import { sharedRedis, uniquePrefix } from '@switchyard/redis/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = new URL('../dist/main.js', import.meta.url).pathname;
const MINI = 'openai/gpt-4o-mini';
const KEY = 'sk-cache-fleet-gateway-key-0000';

let redis: { url: string; stop(): Promise<void> };
let mock: MockUpstream;
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await sharedRedis();
  mock = await startMockUpstream();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await mock.close();
  await redis.stop();
});

/** One gateway process (`node dist/main.js`, as `pnpm start` runs it) on a free port. */
async function startReplica(configFile: string): Promise<string> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', SWITCHYARD_CONFIG: configFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  await expect.poll(() => stdout, { timeout: 15_000 }).toContain('Ctrl-C stops the gateway');
  return /listening on (http:\/\/\S+)/.exec(stdout)?.[1] as string;
}

describe('two gateway processes sharing one Redis', () => {
  it('answer on one what the other cached: one upstream call, the hit in the shared ledger', async () => {
    const prefix = uniquePrefix();
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-cache-fleet-'));
    const configFile = join(directory, 'switchyard.json');
    await writeFile(
      configFile,
      JSON.stringify({
        providers: { mock: { baseURL: mock.url, apiKey: 'sk-or-v1-cache-fleet-provider-secret' } },
        models: { mini: { provider: 'mock', model: MINI } },
        routes: { faq: { strategy: 'fallback', targets: ['mini'], cache: { ttlSeconds: 300 } } },
        keys: [{ name: 'fleet', key: KEY }],
        store: { type: 'redis', url: redis.url, keyPrefix: prefix },
      }),
    );
    const [first, second] = await Promise.all([startReplica(configFile), startReplica(configFile)]);
    const client = (url: string | undefined) =>
      new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0 });
    const question = {
      model: 'faq',
      messages: [{ role: 'user' as const, content: 'Where is the nearest store?' }],
    };

    const miss = await client(first).chat.completions.create(question).withResponse();
    const hit = await client(second).chat.completions.create(question).withResponse();
    expect(miss.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(hit.response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(hit.response.headers.get('x-switchyard-cost')).toBe('0');
    expect(hit.data.choices).toEqual(miss.data.choices);
    expect((hit.data.usage as { cost?: number } | undefined)?.cost).toBe(0);

    // A stream on the second process replays it too.
    const stream = await client(second).chat.completions.create({ ...question, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(miss.data.choices[0]?.message.content);
    expect(mock.requests).toHaveLength(1);

    const reader = createRedisStore({ url: redis.url, keyPrefix: prefix, log: () => undefined });
    try {
      await reader.ready(5000);
      const ledger = await reader.ledger.query();
      const [row] = summarizeSpendBy(ledger, 'route');
      const cost = miss.response.headers.get('x-switchyard-cost') as string;
      expect(row).toMatchObject({ group: 'faq', summary: { attempts: 1, cacheHits: 2, costUsd: cost } });
      expect(row?.summary.savedUsd).toBe(formatUsd(parseUsd(cost) * 2n));
      const hits = ledger.filter((entry) => entry.outcome === 'cache_hit');
      expect(hits.map((entry) => entry.requestId)).toContain(
        hit.response.headers.get('x-switchyard-request-id'),
      );
      for (const entry of hits) expect(entry).toMatchObject({ key: 'fleet', costUsd: '0', savedUsd: cost });
    } finally {
      await reader.close();
    }
  }, 60_000);
});
