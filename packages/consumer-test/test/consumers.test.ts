import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerApp } from '../src/create-consumer-app.js';
import { packPackages } from '../src/pack-packages.js';
import { runCommand } from '../src/run-command.js';
import { type StartedProcess, startProcess } from '../src/start-process.js';

const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));
// Shared by every app of a run and kept for the next run, so that installs after the first one
// come from disk (--prefer-offline); the apps themselves are created anew each time.
const NPM_CACHE = join(tmpdir(), 'switchyard-consumer-test-npm-cache');
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const GATEWAY_KEY = 'sk-consumer-gateway-key';
const ADMIN_KEY = 'sk-consumer-admin-key-0123';
const CHEAP_MODEL = 'meta-llama/llama-3.3-70b-instruct';
const LISTENING = /listening on (http:\/\/\S+)/;

let root = '';
const apps = { tools: '', express: '', nest: '', koa: '' };
const running: StartedProcess[] = [];
let mockUrl = '';
let configPath = '';
const urls = { nest: '', express: '', koa: '' };

beforeAll(async () => {
  const started = Date.now();
  root = await mkdtemp(join(tmpdir(), 'switchyard-consumers-'));
  await mkdir(join(root, 'tarballs'));
  const tarballs = await packPackages({ repositoryRoot: REPOSITORY, destination: join(root, 'tarballs') });
  const packed = Date.now();
  const app = (fixture: string, withTarballs: string[]): Promise<string> =>
    createConsumerApp({
      fixture: join(FIXTURES, fixture),
      directory: join(root, fixture),
      tarballs: withTarballs,
      npmCache: NPM_CACHE,
    });
  [apps.tools, apps.express, apps.nest, apps.koa] = await Promise.all([
    app('tools', [tarballs.cli, tarballs['mock-upstream'], tarballs.core, tarballs.redis]),
    app('express-cjs', [tarballs.core, tarballs.express, tarballs.prometheus]),
    app('nest-cjs', [tarballs.core, tarballs.nestjs]),
    app('esm-koa', [tarballs.core, tarballs.koa, tarballs.langchain, tarballs.dashboard]),
  ]);
  const installed = Date.now();
  for (const typescriptApp of [apps.nest, apps.koa]) {
    await runCommand(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: typescriptApp });
  }
  configPath = join(root, 'switchyard.yaml');
  await copyFile(join(FIXTURES, 'switchyard.yaml'), configPath);
  const mock = await startProcess(
    ['node_modules/@switchyard/mock-upstream/bin/switchyard-mock.js', '--port', '0', '--host', '127.0.0.1'],
    { cwd: apps.tools, ready: /^(http:\/\/\S+)$/m },
  );
  running.push(mock);
  mockUrl = mock.url;
  const compiled = Date.now();
  [urls.nest, urls.express, urls.koa] = await Promise.all([
    startApp(apps.nest, 'dist/main.js'),
    startApp(apps.express, 'server.js'),
    startApp(apps.koa, 'dist/main.js'),
  ]);
  console.log(
    `consumer apps ready in ${seconds(Date.now() - started)} (pack ${seconds(packed - started)}, ` +
      `npm install ${seconds(installed - packed)}, tsc ${seconds(compiled - installed)}, ` +
      `start ${seconds(Date.now() - compiled)})`,
  );
});

afterAll(async () => {
  await Promise.all(running.map((process) => process.stop()));
  if (root !== '') await rm(root, { recursive: true, force: true });
});

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

/** Starts one of the apps with the shared configuration; afterAll stops it. */
async function startApp(directory: string, entry: string): Promise<string> {
  const app = await startProcess([entry], {
    cwd: directory,
    env: { SWITCHYARD_CONFIG: configPath, MOCK_URL: mockUrl },
    ready: LISTENING,
  });
  running.push(app);
  return app.url;
}

/**
 * Loads every entry point in an app once with `require()` and once with `import`, and expects
 * both builds to export the same names.
 */
async function expectBothFormats(directory: string, specifiers: readonly string[]): Promise<void> {
  const list = JSON.stringify(specifiers);
  const [required, imported] = await Promise.all([
    runCommand(
      process.execPath,
      [
        '-e',
        `const out = {}; for (const s of ${list}) out[s] = Object.keys(require(s)).sort(); console.log(JSON.stringify(out));`,
      ],
      { cwd: directory },
    ),
    runCommand(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const out = {}; for (const s of ${list}) out[s] = Object.keys(await import(s)).filter((k) => k !== 'default').sort(); console.log(JSON.stringify(out));`,
      ],
      { cwd: directory },
    ),
  ]);
  const fromRequire = JSON.parse(required.stdout) as Record<string, string[]>;
  expect(JSON.parse(imported.stdout)).toEqual(fromRequire);
  for (const specifier of specifiers) expect(fromRequire[specifier]?.length, specifier).toBeGreaterThan(0);
  expect(required.stderr + imported.stderr).toBe('');
}

/** What every gateway answers through the official SDK: a routed completion, the models, a 401. */
async function expectOpenAICompatible(baseURL: string): Promise<void> {
  const client = new OpenAI({ baseURL, apiKey: GATEWAY_KEY, maxRetries: 0 });
  const { data, response } = await client.chat.completions
    .create({ model: 'default', messages: [{ role: 'user', content: 'Hello from a consumer' }] })
    .withResponse();
  expect(data.choices[0]?.message.content).toBe(
    `Mock reply from ${CHEAP_MODEL}: you said "Hello from a consumer".`,
  );
  expect(response.headers.get('x-switchyard-route')).toBe('default');
  expect(response.headers.get('x-switchyard-model')).toBe(CHEAP_MODEL);
  expect(Number((data.usage as { cost?: number } | undefined)?.cost)).toBeGreaterThan(0);

  const models = await client.models.list();
  expect(models.data.map((model) => model.id)).toEqual(expect.arrayContaining(['default', 'smart']));

  const stranger = new OpenAI({ baseURL, apiKey: 'sk-not-a-key-of-the-config', maxRetries: 0 });
  await expect(stranger.chat.completions.create({ model: 'default', messages: [] })).rejects.toMatchObject({
    status: 401,
    code: 'invalid_api_key',
  });
}

async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user-id': 'ada' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe('a CommonJS Nest 11 app (module: commonjs, compiled with tsc)', () => {
  const url = (): string => urls.nest;

  it('loads @switchyard/nestjs and its terminus subpath with require() and import', async () => {
    await expectBothFormats(apps.nest, ['@switchyard/nestjs', '@switchyard/nestjs/terminus']);
  });

  it('serves the OpenAI controller to the openai SDK', async () => {
    await expectOpenAICompatible(`${url()}/v1`);
  });

  it('answers its own route through SwitchyardService', async () => {
    const { status, json } = await postJson(`${url()}/title`, { text: 'packing tarballs' });
    expect(status).toBe(201);
    expect(json).toEqual({
      title: `Mock reply from ${CHEAP_MODEL}: you said "A title for: packing tarballs".`,
      servedBy: CHEAP_MODEL,
    });
  });
});

describe('a plain CommonJS Express 5 app (require)', () => {
  const url = (): string => urls.express;

  it('loads @switchyard/express and @switchyard/prometheus with require() and import', async () => {
    await expectBothFormats(apps.express, ['@switchyard/express', '@switchyard/prometheus']);
  });

  it('serves openAIRouter() to the openai SDK', async () => {
    await expectOpenAICompatible(`${url()}/v1`);
  });

  it('answers its own route through req.switchyard', async () => {
    const { status, json } = await postJson(`${url()}/title`, { text: 'packing tarballs' });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      title: `Mock reply from ${CHEAP_MODEL}: you said "A title for: packing tarballs".`,
      servedBy: CHEAP_MODEL,
      costUsd: expect.stringMatching(/^0\.\d+$/),
    });
  });

  it("serves its router's Prometheus metrics at its own /metrics, behind its admin key", async () => {
    await postJson(`${url()}/title`, { text: 'counting' });
    const refused = await fetch(`${url()}/metrics`);
    expect(refused.status).toBe(401);
    const scrape = await fetch(`${url()}/metrics`, {
      headers: { authorization: 'Bearer sy-consumer-admin-key-0000' },
    });
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    expect(await scrape.text()).toMatch(
      new RegExp(
        `switchyard_requests_total\\{route="default",model="${CHEAP_MODEL}",provider="[^"]+",status="200",code="success"\\} [1-9]`,
      ),
    );
  });
});

describe('an ES module TypeScript app (Koa + LangChain, nodenext)', () => {
  const url = (): string => urls.koa;

  it('loads @switchyard/koa and @switchyard/langchain (with /agent) with require() and import', async () => {
    await expectBothFormats(apps.koa, [
      '@switchyard/koa',
      '@switchyard/langchain',
      '@switchyard/langchain/agent',
    ]);
  });

  it('serves openAIRoutes() to the openai SDK', async () => {
    await expectOpenAICompatible(`${url()}/v1`);
  });

  it('answers through ChatSwitchyard, plain and with structured output', async () => {
    const asked = await fetch(`${url()}/ask?q=${encodeURIComponent('What is a router?')}`);
    expect(asked.status).toBe(200);
    expect(await asked.json()).toEqual({
      text: `Mock reply from ${CHEAP_MODEL}: you said "What is a router?".`,
      servedBy: CHEAP_MODEL,
    });
    const { status, json } = await postJson(`${url()}/summary`, {});
    expect(status).toBe(200);
    expect(json).toEqual({ title: expect.any(String), bullets: expect.any(Array) });
  });

  it('mounts the dashboard’s prebuilt page and admin API from the tarball', async () => {
    const page = await fetch(`${url()}/dashboard/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toMatch(/^assets\/[^/]+\.js$/);
    expect((await fetch(`${url()}/dashboard/${script}`)).status).toBe(200);
    await fetch(`${url()}/direct`);
    const spend = await fetch(`${url()}/admin/spend?groupBy=route`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(spend.status).toBe(200);
    expect(((await spend.json()) as { totals: { attempts: number } }).totals.attempts).toBeGreaterThan(0);
    const refused = await fetch(`${url()}/admin/spend`, {
      headers: { authorization: 'Bearer wrong-admin-key-0123' },
    });
    expect(refused.status).toBe(401);
  });

  it('answers through ctx.state.switchyard', async () => {
    const response = await fetch(`${url()}/direct`);
    expect(await response.json()).toEqual({
      text: `Mock reply from ${CHEAP_MODEL}: you said "Say hi".`,
      servedBy: CHEAP_MODEL,
    });
  });
});

describe('the CLI through npx, and the other packages outside any framework', () => {
  const npx = (args: string[], input?: string) =>
    runCommand('npx', ['--no', '--', '@switchyard/cli', ...args], {
      cwd: apps.tools,
      env: { MOCK_URL: mockUrl },
      ...(input === undefined ? {} : { input }),
    });

  it('loads core, core/node, mock-upstream, cli, redis and redis/testing with require() and import', async () => {
    await expectBothFormats(apps.tools, [
      '@switchyard/core',
      '@switchyard/core/node',
      '@switchyard/mock-upstream',
      '@switchyard/cli',
      '@switchyard/redis',
      '@switchyard/redis/testing',
    ]);
  });

  it('prints its version and checks the apps’ configuration', async () => {
    const manifest = JSON.parse(
      await readFile(join(apps.tools, 'node_modules/@switchyard/cli/package.json'), 'utf8'),
    ) as { version: string };
    expect((await npx(['--version'])).stdout).toBe(`${manifest.version}\n`);

    const checked = JSON.parse((await npx(['check-config', configPath, '--json'])).stdout);
    expect(checked).toMatchObject({
      valid: true,
      providers: [{ name: 'mock', baseURL: mockUrl, apiKey: 'set', fee: { percent: '5.5' } }],
    });
    expect(JSON.stringify(checked)).not.toContain('sk-consumer');
  });

  it('estimates a request on every target of a route', async () => {
    const { stdout } = await npx(
      [
        'estimate',
        '--model',
        'default',
        '--config',
        configPath,
        '--max-tokens',
        '100',
        '--prompt-file',
        '-',
        '--json',
      ],
      'How much does this cost?',
    );
    const estimate = JSON.parse(stdout) as { estimates: { target: string; worstCaseUsd: string | null }[] };
    expect(estimate.estimates.map((entry) => entry.target)).toEqual(['cheap', 'premium']);
    expect(estimate.estimates.every((entry) => /^0\.\d+$/.test(entry.worstCaseUsd ?? ''))).toBe(true);
  });
});
