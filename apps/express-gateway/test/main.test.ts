import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockUpstream } from '@switchyard/mock-upstream';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = new URL('../dist/main.js', import.meta.url).pathname;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Runs the built gateway (`pnpm start` runs the same file) with only these variables set. */
function startMain(environment: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // 'close' (not 'exit') fires once the output pipes are drained too.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    /** Resolves once the banner is printed, with the gateway's URL. */
    ready: async (): Promise<string> => {
      await expect.poll(() => stdout, { timeout: 15_000 }).toContain('Ctrl-C stops the gateway');
      return /listening on (http:\/\/\S+)/.exec(stdout)?.[1] as string;
    },
  };
}

describe('main: node dist/main.js', () => {
  it('runs the embedded default, serves the printed curl, and exits 0 on SIGTERM', async () => {
    const main = startMain({});
    const url = await main.ready();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(main.output().stdout).toContain('the embedded default: a mock upstream');
    expect(main.output().stdout).toContain(`curl -i ${url}/v1/chat/completions`);

    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-switchyard-demo', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'Hello!' }] }),
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-switchyard-request-id') as string;
    await expect.poll(() => main.output().stdout).toContain(requestId);
    const line = JSON.parse(
      main
        .output()
        .stdout.split('\n')
        .find((each) => each.includes(requestId)) as string,
    );
    expect(line).toMatchObject({
      msg: 'request',
      path: '/v1/chat/completions',
      status: 200,
      key: 'demo',
      route: 'default',
    });

    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
    expect(main.output().stdout).toContain('"msg":"stopped"');
  });

  it('loads SWITCHYARD_CONFIG, and says loudly that a gateway without keys is open', async () => {
    const mock = await startMockUpstream();
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-gateway-'));
    const file = join(directory, 'switchyard.yaml');
    await writeFile(
      file,
      [
        'providers:',
        `  local: { baseURL: "${mock.url}", apiKey: "\${LOCAL_KEY}" }`,
        'routes:',
        '  default: { strategy: fallback, targets: [openai/gpt-4o-mini] }',
      ].join('\n'),
    );
    const main = startMain({ SWITCHYARD_CONFIG: file, LOCAL_KEY: 'sk-local-secret-1234', HOST: '127.0.0.1' });
    const url = await main.ready();
    const { stdout } = main.output();
    expect(stdout).toContain(`configuration:   configuration from ${file}`);
    expect(stdout).toContain('WARNING: this gateway is OPEN');
    // The log line follows the banner and may arrive in a later chunk.
    await expect.poll(() => main.output().stdout).toContain('"msg":"gateway is open: no keys configured"');

    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-model')).toBe('openai/gpt-4o-mini');
    main.child.kill('SIGINT');
    expect(await main.exited).toBe(0);
    expect(main.output().stdout).not.toContain('sk-local-secret-1234');
    await mock.close();
  });

  it('exits 1 listing every problem of an invalid config file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-gateway-'));
    const file = join(directory, 'bad.yaml');
    await writeFile(file, 'providers: {}\nroutes:\n  default: { strategy: fastest-ever, targets: [] }\n');
    const main = startMain({ SWITCHYARD_CONFIG: file });
    expect(await main.exited).toBe(1);
    expect(main.output().stderr).toContain(`Invalid Switchyard configuration in ${file}`);
    expect(main.output().stderr).toContain('routes.default.strategy');
  });

  it('exits 1 on a bad PORT', async () => {
    const main = startMain({ PORT: 'eighty' });
    expect(await main.exited).toBe(1);
    expect(main.output().stderr).toContain('PORT must be an integer from 0 to 65535, got "eighty"');
  });
});
