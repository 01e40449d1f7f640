import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/run-cli.js';

const ADMIN_KEY = 'sk-admin-cli-test-0123456789';
const DEMO_KEY = 'sk-switchyard-demo';
// The real gateway, as `pnpm start` runs it: the embedded default, with its admin endpoints on.
const MAIN = join(
  dirname(createRequire(import.meta.url).resolve('@switchyard/express-gateway/package.json')),
  'dist',
  'main.js',
);

let gateway: ChildProcess | undefined;
let url = '';
/** Ledger entries the requests made: one per attempt, as the gateway's headers count them. */
let attempts = 0;
let directory = '';

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-ledger-'));
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', SWITCHYARD_ADMIN_KEY: ADMIN_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  gateway = child;
  let stdout = '';
  url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (found !== undefined && stdout.includes('Ctrl-C stops the gateway')) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited (${code}): ${stdout}`)));
  });
  for (let index = 0; index < 4; index += 1) {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: `hello ${index}` }] }),
    });
    expect(response.status).toBe(200);
    attempts += Number(response.headers.get('x-switchyard-attempts'));
  }
  expect(attempts).toBeGreaterThanOrEqual(4);
}, 30_000);

afterAll(async () => {
  gateway?.kill('SIGKILL');
  await rm(directory, { recursive: true, force: true });
});

/** Runs `switchyard` in-process with the admin key in its environment (or the given one). */
async function switchyard(argv: string[], env: Record<string, string> = { SWITCHYARD_ADMIN_KEY: ADMIN_KEY }) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from(['']),
    env,
  });
  return { code, stdout, stderr };
}

describe('switchyard ledger', () => {
  it('stats: what the running gateway’s ledger holds, and its bounds', async () => {
    const { code, stdout, stderr } = await switchyard(['ledger', 'stats', '--gateway', url, '--json']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const stats = JSON.parse(stdout);
    expect(stats).toMatchObject({
      store: 'memory',
      held: attempts,
      maxEntries: 100_000,
      evicted: { attempts: 0 },
    });
    const table = await switchyard(['ledger', 'stats', '--gateway', url]);
    expect(table.stdout).toContain(`held: ${attempts} entries (at most 100,000 entries)`);
    expect(table.stdout).toMatch(/evicted\s+0\s+\$0/);
  });

  it('export: the entries with their totals, without draining them', async () => {
    const { code, stdout } = await switchyard(['ledger', 'export', '--gateway', url]);
    expect(code).toBe(0);
    const exported = JSON.parse(stdout);
    expect(exported.entries).toHaveLength(attempts);
    expect(exported.summary.attempts).toBe(attempts);
    expect(exported.ledger.held).toBe(attempts);
  });

  it('export --drain --format csv --out: archives the oldest entries and removes them', async () => {
    const out = join(directory, 'first.csv');
    const { code, stderr } = await switchyard([
      'ledger',
      'export',
      '--gateway',
      url,
      '--drain',
      '--max',
      '3',
      '--format',
      'csv',
      '--out',
      out,
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = (await readFile(out, 'utf8')).trim().split('\r\n');
    expect(lines[0]).toMatch(/^time,requestId,attempt,key,/);
    expect(lines.slice(1)).toHaveLength(3);
    expect(lines[1]).toContain(',demo,'); // the embedded default's key name, never the key
    expect(lines.join('\n')).not.toContain(DEMO_KEY);
    const stats = JSON.parse((await switchyard(['ledger', 'stats', '--gateway', url, '--json'])).stdout);
    expect(stats).toMatchObject({ held: attempts - 3, drained: { attempts: 3 } });
    // Never over an existing file: nothing is drained then.
    const again = await switchyard(['ledger', 'export', '--gateway', url, '--drain', '--out', out]);
    expect(again).toMatchObject({
      code: 2,
      stderr: `switchyard ledger export: --out ${out} exists: choose a new file\n`,
    });
    const after = JSON.parse((await switchyard(['ledger', 'stats', '--gateway', url, '--json'])).stdout);
    expect(after.held).toBe(attempts - 3);
  });

  it('says what is missing or wrong, and never prints the admin key', async () => {
    expect(await switchyard(['ledger', 'export', '--gateway', url], {})).toMatchObject({
      code: 2,
      stderr:
        "switchyard ledger export: SWITCHYARD_ADMIN_KEY is not set: the gateway's admin key (the one it was started with)\n",
    });
    expect(await switchyard(['ledger', 'export'])).toMatchObject({
      code: 2,
      stderr: 'switchyard ledger export: missing --gateway <url>: the running gateway to ask\n',
    });
    expect((await switchyard(['ledger', 'export', '--gateway', url, '--format', 'xml'])).stderr).toBe(
      'switchyard ledger export: --format must be json or csv, got "xml"\n',
    );
    expect((await switchyard(['ledger', 'export', '--gateway', url, '--max', '0'])).stderr).toBe(
      'switchyard ledger export: --max must be a positive integer, got "0"\n',
    );
    const refused = await switchyard(['ledger', 'export', '--gateway', url], {
      SWITCHYARD_ADMIN_KEY: 'sk-wrong-key-0123456789',
    });
    expect(refused).toMatchObject({
      code: 1,
      stderr: 'switchyard ledger export: the gateway answered 401: invalid API key\n',
    });
    expect(refused.stderr).not.toContain('sk-wrong-key');
    const gone = await switchyard(['ledger', 'stats', '--gateway', 'http://127.0.0.1:9']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(
      /^switchyard ledger stats: could not reach the gateway at http:\/\/127\.0\.0\.1:9/,
    );
  });

  it('lists the ledger commands in the help', async () => {
    const { stdout } = await switchyard(['ledger', '--help']);
    expect(stdout).toContain('switchyard ledger export');
    expect(stdout).toContain('switchyard ledger stats');
  });
});
