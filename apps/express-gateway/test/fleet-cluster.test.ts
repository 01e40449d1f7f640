import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUsd, summarizeSpend } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { createRedisStore } from '@switchyard/redis';
import { type RedisCluster, startRedisCluster, uniquePrefix } from '@switchyard/redis/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = new URL('../dist/main.js', import.meta.url).pathname;
const KEY = 'sk-cluster-test-gateway-key-0000';
const PASSWORD = 'gateway-cluster-s3cret';
const BUDGET_USD = '0.0003';

let cluster: RedisCluster;
let mock: MockUpstream;
let directory: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster({ primaries: 3, password: PASSWORD });
  mock = await startMockUpstream();
  directory = await mkdtemp(join(tmpdir(), 'switchyard-fleet-cluster-'));
}, 60_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await mock?.close();
  await cluster?.stop();
  await rm(directory, { recursive: true, force: true });
});

/** One gateway process (`node dist/main.js`) on a free port; its output, to look for secrets. */
async function startGateway(configFile: string): Promise<{ url: string; output: () => string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', SWITCHYARD_CONFIG: configFile, REDIS_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await expect.poll(() => output, { timeout: 30_000 }).toContain('Ctrl-C stops the gateway');
  return { url: /listening on (http:\/\/\S+)/.exec(output)?.[1] as string, output: () => output };
}

describe('two gateway processes on a Redis Cluster', () => {
  it('share one budget and one ledger, configured by two seed nodes and a password from the environment', async () => {
    const prefix = uniquePrefix();
    const configFile = join(directory, 'switchyard.yaml');
    // As an operator writes it: some of the nodes, the password interpolated.
    const seeds = cluster.nodes
      .slice(0, 2)
      .map((url) => `"${url.replace(`:${PASSWORD}@`, ':${REDIS_PASSWORD}@')}"`);
    await writeFile(
      configFile,
      [
        'providers:',
        `  mock: { baseURL: "${mock.url}", apiKey: sk-or-v1-cluster-provider-secret }`,
        'models:',
        '  mini: { provider: mock, model: openai/gpt-4o-mini }',
        'budgets:',
        `  - { scope: global, usd: "${BUDGET_USD}", period: day }`,
        'keys:',
        `  - { name: fleet, key: ${KEY} }`,
        'store:',
        '  type: redis',
        `  cluster: { nodes: [${seeds.join(', ')}] }`,
        `  keyPrefix: ${prefix}`,
        '',
      ].join('\n'),
    );
    const gateways = await Promise.all([startGateway(configFile), startGateway(configFile)]);
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, async (_, index) => {
        const response = await fetch(`${gateways[index % 2]?.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'mini',
            max_tokens: 50,
            messages: [{ role: 'user', content: 'Hi.' }],
          }),
        });
        const body = (await response.json()) as { error?: { code?: string } };
        return {
          status: response.status,
          code: body.error?.code,
          requestId: response.headers.get('x-switchyard-request-id'),
        };
      }),
    );
    const served = outcomes.filter((outcome) => outcome.status === 200);
    const refused = outcomes.filter((outcome) => outcome.status !== 200);
    expect(served.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const outcome of refused) expect(outcome).toMatchObject({ status: 402, code: 'budget_exceeded' });

    const reader = createRedisStore({ cluster: { nodes: cluster.nodes }, keyPrefix: prefix });
    try {
      await reader.ready(5000);
      const ledger = await reader.ledger.query();
      expect(ledger.map((entry) => entry.requestId).sort()).toEqual(
        served.map((outcome) => outcome.requestId).sort(),
      );
      expect(parseUsd(summarizeSpend(ledger).costUsd)).toBeLessThanOrEqual(parseUsd(BUDGET_USD));
    } finally {
      await reader.close();
    }
    for (const gateway of gateways) expect(gateway.output()).not.toContain(PASSWORD);
  }, 90_000);
});
