import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseUsd } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProbeReport } from '../src/probe/probe-report.js';

// The real CLI process, as `npx @switchyard/cli` runs it (the bin imports dist/: turbo builds it first).
const bin = fileURLToPath(new URL('../bin/switchyard.js', import.meta.url));
const PROVIDER_KEY = 'sk-or-v1-probe-test-secret-0123456789abcdef';

const GOOD = 'openai/gpt-4o-mini';
const NO_TOOLS = 'meta-llama/llama-3.3-70b-instruct';
// The mock serves this id as its dated snapshot: a route surprise.
const SWAPPED = 'openai/gpt-4o';

let mock: MockUpstream;
let directory: string;

beforeAll(async () => {
  mock = await startMockUpstream({ apiKeys: [PROVIDER_KEY] });
  directory = await mkdtemp(join(tmpdir(), 'switchyard-probe-'));
});
beforeEach(() => {
  mock.reset();
  mock.setQuirks(NO_TOOLS, { tools: 'ignore' });
});
afterAll(async () => {
  await mock.close();
  await rm(directory, { recursive: true, force: true });
});

/** Writes a config whose one provider (the OpenRouter preset) points at the mock. */
async function configFile(name: string, rest: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(
    path,
    `providers:\n  or: { preset: openrouter, baseURL: "${mock.url}", apiKey: "\${PROBE_TEST_KEY}" }\n${rest}`,
  );
  return path;
}

const MODELS = `models:
  notools: { provider: or, model: ${NO_TOOLS}, capabilities: [tools, structured_outputs] }
  swapped: { provider: or, model: ${SWAPPED} }
  good: { provider: or, model: ${GOOD} }
  embedder: { provider: or, model: openai/text-embedding-3-small, type: embedding }
`;

/** Runs `switchyard` as a child process; resolves with its exit code and output. */
function switchyard(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...argv],
      { env: { PATH: process.env.PATH ?? '', PROBE_TEST_KEY: PROVIDER_KEY }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('switchyard probe', { timeout: 60_000 }, () => {
  it('prints the cap first, then the matrix: a target that ignores tools, one that serves another model', async () => {
    const path = await configFile(
      'matrix.yaml',
      `${MODELS}routes:\n  default: { strategy: fallback, targets: [notools, swapped, good] }\n`,
    );
    const { code, stdout, stderr } = await switchyard(['probe', '--config', path, '--max-cost', '0.05']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).not.toContain(PROVIDER_KEY);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`Probing 1 route (3 targets) of ${path}.`);
    expect(lines[1]).toBe(
      'Cost cap: $0.05 (--max-cost): no request is sent that could take the total past it.',
    );
    expect(stdout).toMatch(
      /default\s+notools\s+or \/ meta-llama\/llama-3\.3-70b-instruct\s+pass\s+pass\s+FAIL\s+pass\s+-\s+meta-llama\/llama-3\.3-70b-instruct\s+DeepInfra\s+\d+ ms\s+\$0\.\d+/,
    );
    expect(stdout).toMatch(
      /default\s+swapped\s+or \/ openai\/gpt-4o\s+pass\s+pass\s+pass\s+pass\s+-\s+openai\/gpt-4o-2024-11-20 \(surprise\)\s+OpenAI/,
    );
    expect(stdout).toMatch(
      /default\s+good\s+or \/ openai\/gpt-4o-mini\s+pass\s+pass\s+pass\s+pass\s+-\s+openai\/gpt-4o-mini\s+OpenAI/,
    );
    expect(stdout).toContain('  notools tools FAIL: answered in text without calling get_time');
    expect(stdout).toContain(
      '  swapped: configured openai/gpt-4o, served openai/gpt-4o-2024-11-20 (route surprise)',
    );
    // notools declares tools, so the route needs them: the other two pass.
    expect(stdout).toMatch(/default\s+plain, stream, tools, json\s+swapped, good\s+ok/);
    expect(stdout).toMatch(/Spent \$0\.\d+ of the \$0\.05 cap\./);
    // Every request went to the mock with the preset's attribution headers; one target at a time.
    expect(mock.requests.every((request) => request.headers['x-openrouter-title'] === 'Switchyard')).toBe(
      true,
    );
    expect(new Set(mock.requests.map((request) => request.model))).toEqual(
      new Set([NO_TOOLS, SWAPPED, GOOD]),
    );
  });

  it('--json gives the documented shape; exact money within the cap', async () => {
    const path = await configFile(
      'json.yaml',
      `${MODELS}routes:\n  default: { strategy: fallback, targets: [notools, swapped, good] }\n  local: { strategy: fallback, targets: [good] }\n  embed: { strategy: fallback, targets: [embedder] }\n`,
    );
    const { code, stdout, stderr } = await switchyard(['probe', '--config', path, '--json']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).not.toContain(PROVIDER_KEY);
    const report = JSON.parse(stdout) as ProbeReport;
    expect(report).toMatchObject({ maxCostUsd: '0.05', context: false, require: [], ok: true });
    expect(report.routes).toEqual([
      {
        route: 'default',
        needs: ['plain', 'stream', 'tools', 'json'],
        targets: ['notools', 'swapped', 'good'],
        passing: ['swapped', 'good'],
        ok: true,
      },
      { route: 'local', needs: ['plain', 'stream'], targets: ['good'], passing: ['good'], ok: true },
      // Chat checks say nothing of an embeddings route: passed over, no request sent.
      {
        route: 'embed',
        needs: [],
        targets: ['embedder'],
        passing: [],
        ok: true,
        passedOver: 'serves embeddings (type: embedding); the probe checks chat',
      },
    ]);
    expect(mock.requests.some((request) => request.model === 'openai/text-embedding-3-small')).toBe(false);
    // A target two routes name is probed once.
    expect(report.targets.map((target) => target.target)).toEqual(['notools', 'swapped', 'good']);
    const [notools, swapped, good] = report.targets;
    expect(notools).toMatchObject({
      provider: 'or',
      model: NO_TOOLS,
      servedModel: NO_TOOLS,
      routeSurprise: false,
      checks: {
        plain: { status: 'pass', detail: null },
        stream: { status: 'pass' },
        tools: { status: 'fail', detail: 'answered in text without calling get_time' },
        json: { status: 'pass' },
        context: { status: 'not_run', detail: 'run with --context', costUsd: '0', latencyMs: null },
      },
    });
    expect(swapped).toMatchObject({
      servedModel: 'openai/gpt-4o-2024-11-20',
      routeSurprise: true,
      upstreamProvider: 'OpenAI',
    });
    expect(good?.checks.tools.status).toBe('pass');
    // Money: exact decimal strings that add up, per check, per target and in all.
    for (const target of report.targets) {
      const sum = Object.values(target.checks).reduce((total, check) => total + parseUsd(check.costUsd), 0n);
      expect(parseUsd(target.costUsd)).toBe(sum);
      expect(parseUsd(target.costUsd) > 0n).toBe(true);
    }
    const total = report.targets.reduce((sum, target) => sum + parseUsd(target.costUsd), 0n);
    expect(parseUsd(report.spentUsd)).toBe(total);
    expect(parseUsd(report.spentUsd) <= parseUsd('0.05')).toBe(true);
  });

  it('exits 1 when a route has no target that passes what it needs', async () => {
    const path = await configFile(
      'failing.yaml',
      `${MODELS}routes:\n  agent: { strategy: fallback, targets: [notools] }\n  chat: { strategy: fallback, targets: [good] }\n`,
    );
    const text = await switchyard(['probe', '--config', path]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/agent\s+plain, stream, tools, json\s+none\s+NO PASSING TARGET/);
    expect(text.stdout).toMatch(/chat\s+plain, stream\s+good\s+ok/);
    // --require tools asks it of every route; --route narrows the run.
    const required = await switchyard([
      'probe',
      '--config',
      path,
      '--route',
      'chat',
      '--require',
      'tools',
      '--json',
    ]);
    expect(required.code).toBe(0);
    expect((JSON.parse(required.stdout) as ProbeReport).routes).toEqual([
      { route: 'chat', needs: ['plain', 'stream', 'tools'], targets: ['good'], passing: ['good'], ok: true },
    ]);
  });

  it('sends nothing that could pass the cap, and reports what it skipped', async () => {
    const path = await configFile(
      'cap.yaml',
      `${MODELS}routes:\n  default: { strategy: fallback, targets: [good] }\n`,
    );
    // Each plain request could cost up to ~$0.00004 (64 tokens out at $0.0000006, plus the prompt and the fee).
    const { code, stdout } = await switchyard(['probe', '--config', path, '--max-cost', '0.00005', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as ProbeReport;
    const [good] = report.targets;
    expect(good?.checks.plain.status).toBe('pass');
    expect(good?.checks.json).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/^over the cost cap: could cost up to \$0\.\d+, \$0\.\d+ left$/),
    });
    expect(parseUsd(report.spentUsd) <= parseUsd('0.00005')).toBe(true);
    expect(mock.requests.length).toBeLessThan(5);
  });

  it('--context sends one request near the declared window', async () => {
    const path = await configFile(
      'context.yaml',
      `models:\n  small: { provider: or, model: mock/small-8k, pricing: { prompt: "0.00000002", completion: "0.00000004" }, contextLength: 8192 }\n  tight: { provider: or, model: mock/small-8k, pricing: { prompt: "0.00000002", completion: "0.00000004" }, contextLength: 16384 }\n  big: { provider: or, model: ${SWAPPED}, contextLength: 128000 }\nroutes:\n  default: { strategy: fallback, targets: [small, tight, big] }\n`,
    );
    const { code, stdout } = await switchyard(['probe', '--config', path, '--context', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ProbeReport;
    const [small, tight, big] = report.targets;
    expect(small?.checks.context).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/^\d{4} prompt tokens of 8192$/),
    });
    // It claims 16k, the upstream holds 8k: the request near 16k is refused.
    expect(tight?.checks.context).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('context'),
    });
    // 121k prompt tokens of gpt-4o would cost about $0.32: over the cap, so it is never built nor sent.
    expect(big?.checks.context).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/^over the cost cap: could cost about \$0\.3\d+, \$0\.04\d+ left$/),
      costUsd: '0',
    });
    expect(Math.max(...mock.requests.map((request) => JSON.stringify(request.body).length))).toBeLessThan(
      200_000,
    );
  });

  it('names a bad flag or an unknown route on one line and exits 2', async () => {
    const path = await configFile(
      'usage.yaml',
      `${MODELS}routes:\n  default: { strategy: fallback, targets: [good] }\n`,
    );
    expect(await switchyard(['probe', '--config', path, '--route', 'nope'])).toMatchObject({
      code: 2,
      stderr: 'switchyard probe: --route: unknown route "nope"; known: default\n',
    });
    expect(await switchyard(['probe', '--config', path, '--max-cost', 'abc'])).toMatchObject({
      code: 2,
      stderr: 'switchyard probe: --max-cost must be a USD amount such as 0.05, got "abc"\n',
    });
    expect(await switchyard(['probe', '--config', path, '--max-cost', '0'])).toMatchObject({
      code: 2,
      stderr: 'switchyard probe: --max-cost must be more than 0, got "0"\n',
    });
    expect(await switchyard(['probe', '--config', path, '--require', 'vision'])).toMatchObject({
      code: 2,
      stderr: 'switchyard probe: --require takes tools, json, context; got "vision"\n',
    });
    expect(mock.requests).toHaveLength(0);
  });
});
