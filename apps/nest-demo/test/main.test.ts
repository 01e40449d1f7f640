import { spawn } from 'node:child_process';
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
  runDemoMain({ main: MAIN, readyWhen: '/health', env });

const jsonLines = (stdout: string[]) =>
  stdout
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'));

describe('pnpm --filter @switchyard/nest-demo start (the embedded default)', () => {
  it('prints curl commands that work, logs one line per request without the key, stops on SIGTERM', async () => {
    const { output, stdout, child } = await runMain();
    expect(output).toMatch(/Switchyard Nest demo on http:\/\/127\.0\.0\.1:\d+ \(embedded mock upstream\)/);
    const curls = parseCurls(output);
    expect(curls.map((curl) => new URL(curl.url).pathname)).toEqual([
      '/v1/chat/completions',
      '/summarize',
      '/v1/models',
      '/health',
    ]);

    const results = [];
    for (const curl of curls) {
      const response = await fetch(curl.url, {
        method: curl.body === undefined ? 'GET' : 'POST',
        headers: curl.headers,
        ...(curl.body === undefined ? {} : { body: curl.body }),
      });
      results.push({
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as unknown,
      });
    }
    const [chat, summary, models, health] = [results[0]!, results[1]!, results[2]!, results[3]!];
    expect(chat.status).toBe(200);
    expect(chat.headers.get('x-switchyard-route')).toBe('default');
    expect(chat.body).toMatchObject({ object: 'chat.completion', model: 'anthropic/claude-sonnet-4.6' });
    // The cascade: the cheap model answers prose, the schema rejects it, the premium one serves.
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ model: 'anthropic/claude-sonnet-4.6', escalated: true });
    expect((summary.body as { bullets: string[] }).bullets).toHaveLength(3);
    expect(models.status).toBe(200);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', info: { llm: { status: 'up' } } });

    await expect.poll(() => jsonLines(stdout).length).toBe(4);
    const key = curls[0]?.headers.authorization?.slice('Bearer '.length) ?? '';
    expect(key).not.toBe('');
    const logs = jsonLines(stdout);
    expect(logs.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ path: '/v1/chat/completions', key: 'demo', status: 200 }),
      expect.objectContaining({ path: '/summarize', key: 'demo', status: 200, route: 'smart' }),
      expect.objectContaining({ path: '/v1/models', key: 'demo', status: 200 }),
      expect.objectContaining({ path: '/health', status: 200 }),
    ]);
    for (const line of logs) {
      expect(line).not.toContain(key);
      expect(line).not.toContain('sk-or-');
    }

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('loads SWITCHYARD_CONFIG with loadConfig and never prints its key', async () => {
    const mock = await startMockUpstream();
    try {
      const directory = await mkdtemp(join(tmpdir(), 'nest-demo-'));
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
          '  smart: { strategy: cascade, targets: [fast] }',
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

  it('exits with code 1 and names the problem when the config file is wrong', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'nest-demo-'));
    const file = join(directory, 'broken.yaml');
    await writeFile(file, 'providers: {}\nroutes: { default: { strategy: fallback, targets: [nope] } }\n');
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: '0', SWITCHYARD_CONFIG: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr += text;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `Invalid Switchyard configuration in ${file}:\n  providers: must define at least one provider\n  routes.default.targets[0]: unknown model "nope"`,
    );
  });
});
