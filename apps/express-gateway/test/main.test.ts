import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startMockUpstream } from '@switchyard/mock-upstream';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = new URL('../dist/main.js', import.meta.url).pathname;
const run = promisify(execFile);
const hasCurl = spawnSync('sh', ['-c', 'command -v curl']).status === 0;

/**
 * Runs a printed `curl -i URL -H '…' -d '…'` command: with curl itself when it is installed, else
 * the same request by `fetch`, printed as `curl -i` prints it (status line, headers, body).
 */
async function runCurl(command: string): Promise<string> {
  if (hasCurl) return (await run('sh', ['-c', command])).stdout;
  const url = /curl -i (\S+)/.exec(command)?.[1] as string;
  const headers = Object.fromEntries(
    [...command.matchAll(/-H '([^:]+): ([^']*)'/g)].map(([, name, value]) => [name, value]),
  );
  const response = await fetch(url, { method: 'POST', headers, body: /-d '([^']*)'/.exec(command)?.[1] });
  const lines = [...response.headers].map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${response.status} ${response.statusText}\n${lines.join('\n')}\n\n${await response.text()}`;
}
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

  it('prints a curl for a route the custom config has, and the curl runs as pasted', async () => {
    const mock = await startMockUpstream();
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-gateway-'));
    const file = join(directory, 'switchyard.yaml');
    // No `default` route: the banner must not name one.
    await writeFile(
      file,
      [
        'providers:',
        `  local: { baseURL: "${mock.url}", apiKey: sk-local-test-5678 }`,
        'models:',
        '  openai/gpt-4o-mini: { provider: local, model: openai/gpt-4o-mini }',
        'routes:',
        '  chat: { strategy: fallback, targets: [openai/gpt-4o-mini] }',
      ].join('\n'),
    );
    const main = startMain({ SWITCHYARD_CONFIG: file });
    const url = await main.ready();
    const { stdout } = main.output();
    expect(stdout).toContain('models:          chat, openai/gpt-4o-mini');
    expect(stdout).not.toContain('"model":"default"');
    expect(stdout).toContain("model: 'chat'");
    // The curl block as printed: from `curl -i` to its `-d '…'` line.
    const curl = /^curl -i [^\n]*(?:\n {2}[^\n]*)*?\n {2}-d '[^']*'$/m.exec(stdout)?.[0] as string;
    expect(curl).toContain(`${url}/v1/chat/completions`);
    expect(curl).toContain('"model":"chat"');
    const answer = await runCurl(curl);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/^x-switchyard-route: chat\r?$/m);
    expect(answer).toMatch(/^x-switchyard-model: openai\/gpt-4o-mini\r?$/m);
    expect(answer).toContain('Mock reply from openai/gpt-4o-mini: you said \\"Hello!\\".');
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
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

  it('prints the dashboard with SWITCHYARD_ADMIN_KEY, and refuses a config admin.key that differs', async () => {
    const adminKey = 'sk-admin-main-test-0123456789';
    const main = startMain({ SWITCHYARD_ADMIN_KEY: adminKey });
    const url = await main.ready();
    expect(main.output().stdout).toContain(
      `  dashboard:       ${url}/dashboard/ (log in with the admin key, SWITCHYARD_ADMIN_KEY)`,
    );
    expect(main.output().stdout + main.output().stderr).not.toContain(adminKey);
    expect((await fetch(`${url}/dashboard/`)).status).toBe(200);
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);

    const directory = await mkdtemp(join(tmpdir(), 'switchyard-gateway-'));
    const file = join(directory, 'admin.yaml');
    await writeFile(
      file,
      'providers:\n  up: { baseURL: "http://127.0.0.1:9/api/v1" }\nadmin: { key: sk-admin-in-the-file-0123 }\n',
    );
    const both = startMain({ SWITCHYARD_CONFIG: file, SWITCHYARD_ADMIN_KEY: adminKey });
    expect(await both.exited).toBe(1);
    expect(both.output().stderr).toContain(
      'SWITCHYARD_ADMIN_KEY and the config’s admin.key are both set, to different keys',
    );
    expect(both.output().stderr).not.toContain('sk-admin-in-the-file-0123');
  });
});
