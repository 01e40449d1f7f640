import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCurls, type RunningDemo, runDemoMain, stopDemos } from '@switchyard/demo-kit/testing';
import { startMockUpstream } from '@switchyard/mock-upstream';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
afterEach(stopDemos);

/** Runs `node dist/main.js` (what `pnpm start` runs) and waits for its banner and curls. */
const runMain = (env: Record<string, string> = {}): Promise<RunningDemo> =>
  runDemoMain({ main: MAIN, readyWhen: '/v1/models', env });

describe('pnpm --filter @switchyard/koa-demo start (the embedded default)', () => {
  it('prints curl commands that work, logs one line per request without the key, stops on SIGTERM', async () => {
    const { output, stdout, child } = await runMain();
    expect(output).toMatch(/Switchyard Koa demo on http:\/\/127\.0\.0\.1:\d+ \(embedded mock upstream\)/);
    const curls = parseCurls(output);
    expect(curls.map((curl) => new URL(curl.url).pathname)).toEqual([
      '/v1/chat/completions',
      '/summarize',
      '/v1/models',
    ]);

    const results = await Promise.all(
      curls.map(async (curl) => {
        const response = await fetch(curl.url, {
          method: curl.body === undefined ? 'GET' : 'POST',
          headers: curl.headers,
          ...(curl.body === undefined ? {} : { body: curl.body }),
        });
        return {
          status: response.status,
          headers: response.headers,
          body: (await response.json()) as unknown,
        };
      }),
    );
    const [chat, summary, models] = [results[0]!, results[1]!, results[2]!];
    expect(chat.status).toBe(200);
    expect(chat.headers.get('x-switchyard-route')).toBe('default');
    expect(chat.body).toMatchObject({ object: 'chat.completion', model: 'anthropic/claude-sonnet-4.6' });
    // The cascade: the cheap model answers prose, the schema rejects it, the premium one serves.
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ model: 'anthropic/claude-sonnet-4.6', escalated: true });
    expect((summary.body as { bullets: string[] }).bullets).toHaveLength(3);
    expect(models.status).toBe(200);

    await expect
      .poll(
        () =>
          stdout
            .join('')
            .split('\n')
            .filter((line) => line.includes('"msg":"request"')).length,
      )
      .toBe(3);
    const logs = stdout
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'));
    for (const line of logs) {
      expect(JSON.parse(line)).toMatchObject({ key: 'demo', status: 200 });
      expect(line).not.toContain(curls[0]?.headers.authorization?.slice('Bearer '.length));
      expect(line).not.toContain('sk-or-');
    }

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('loads SWITCHYARD_CONFIG with loadConfig and never prints its key', async () => {
    const mock = await startMockUpstream();
    try {
      const directory = await mkdtemp(join(tmpdir(), 'koa-demo-'));
      const file = join(directory, 'switchyard.yaml');
      await writeFile(
        file,
        [
          'providers:',
          '  upstream: { baseURL: "${UPSTREAM_URL}", apiKey: "sk-or-from-env-0123" }',
          'models:',
          '  fast: { provider: upstream, model: openai/gpt-4o-mini }',
          'routes:',
          '  default: { strategy: fallback, targets: [fast] }',
          'keys:',
          '  - { name: ops, key: "${GATEWAY_KEY}" }',
        ].join('\n'),
      );
      const secret = 'sy-ops-secret-key-4242';
      const { output, stdout } = await runMain({
        SWITCHYARD_CONFIG: file,
        UPSTREAM_URL: mock.url,
        GATEWAY_KEY: secret,
      });
      expect(output).toContain(`(config ${file})`);
      expect(output).toContain('Bearer $SWITCHYARD_KEY');
      expect(output).not.toContain(secret);
      const chat = parseCurls(output)[0]!;
      const response = await fetch(chat.url, {
        method: 'POST',
        headers: { ...chat.headers, authorization: `Bearer ${secret}` },
        body: chat.body ?? '',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-switchyard-model')).toBe('openai/gpt-4o-mini');
      await expect.poll(() => stdout.join('')).toContain('"key":"ops"');
      expect(stdout.join('')).not.toContain(secret);
    } finally {
      await mock.close();
    }
  });
});
