import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { loadConfig, parseConfig } from './load-config.js';
import { validateConfig } from './validate-config.js';

const CONTRACT = `
providers:
  openrouter: { baseURL: https://openrouter.ai/api/v1, apiKey: "\${OPENROUTER_API_KEY}", headers: { X-OpenRouter-Title: my-app } }
models:
  cheap:   { provider: openrouter, model: meta-llama/llama-3.3-70b-instruct, pricing: { prompt: "0.00000012", completion: "0.0000003" }, contextLength: 131072 }
  premium: { provider: openrouter, model: anthropic/claude-sonnet-4.6 }
routes:
  default: { strategy: fallback, targets: [premium, cheap] }
  smart:   { strategy: cascade, targets: [cheap, premium], validate: { json: true } }
`;

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('accepts the documented contract and interpolates ${ENV}', () => {
    const config = parseConfig(CONTRACT, { env: { OPENROUTER_API_KEY: 'sk-or-test-123' } });
    expect(config.providers.openrouter?.apiKey).toBe('sk-or-test-123');
    expect(config.routes?.smart?.validate).toEqual({ json: true });
    expect(config.models?.cheap?.contextLength).toBe(131072);
  });

  it('names a missing environment variable with its path', () => {
    expect(issuesOf(() => parseConfig(CONTRACT, { env: {} }))).toEqual([
      'providers.openrouter.apiKey: environment variable OPENROUTER_API_KEY is not set',
    ]);
  });

  it('uses ${NAME:-default} when the variable is unset', () => {
    const config = parseConfig('providers:\n  local: { baseURL: "${BASE:-http://127.0.0.1:11434/v1}" }', {
      env: {},
    });
    expect(config.providers.local?.baseURL).toBe('http://127.0.0.1:11434/v1');
  });

  it('reports unknown models with the path of the target', () => {
    const text = CONTRACT.replace('targets: [cheap, premium]', 'targets: [cheap, x]');
    expect(issuesOf(() => parseConfig(text, { env: { OPENROUTER_API_KEY: 'k' } }))).toEqual([
      'routes.smart.targets[1]: unknown model "x"',
    ]);
  });

  it('reports every problem at once: bad types, unknown keys, bad references, cycles', () => {
    const issues = issuesOf(() =>
      validateConfig({
        providers: { a: { baseURL: 'ftp://x', apiKey: 1 } },
        models: { m: { provider: 'nope', model: 'x/y', pricing: { prompt: '1e-7' } } },
        routes: { r: { strategy: 'fastest', targets: [] }, s: { strategy: 'slowest', targets: ['m'] } },
        retries: 3,
      }),
    );
    expect(issues).toContain('providers.a.baseURL: must be an http(s) URL');
    expect(issues).toContain('providers.a.apiKey: Invalid input: expected string, received number');
    expect(issues).toContain(
      'models.m.pricing.prompt: expected a USD amount as a number or decimal string, e.g. 5 or "0.25"',
    );
    expect(issues).toContain('routes.r.targets: must name at least one target');
    expect(issues.some((issue) => issue.startsWith('routes.s.strategy: '))).toBe(true);
    expect(issues).toContain(': unknown key "retries"');
  });

  it('names every bad retry budget field, top-level and per route', () => {
    const issues = issuesOf(() =>
      validateConfig({
        providers: { a: { baseURL: 'http://127.0.0.1:1/v1' } },
        models: { m: { provider: 'a', model: 'x/y' } },
        routes: { r: { strategy: 'fallback', targets: ['m'], retry: { rounds: 0, maxAttempts: 2 } } },
        retry: { rounds: 1.5, maxRequestAttempts: -1 },
      }),
    );
    expect(issues.some((issue) => issue.startsWith('retry.rounds: '))).toBe(true);
    expect(issues.some((issue) => issue.startsWith('retry.maxRequestAttempts: '))).toBe(true);
    expect(issues.some((issue) => issue.startsWith('routes.r.retry.rounds: '))).toBe(true);
    expect(issues).toContain('routes.r.retry: unknown key "maxAttempts"');
    expect(issues).toHaveLength(4);
  });

  it('names every bad ledger bound', () => {
    const issues = issuesOf(() =>
      validateConfig({
        providers: { a: { baseURL: 'http://127.0.0.1:1/v1' } },
        ledger: { maxEntries: 0, retentionSeconds: 'a day', keep: true },
      }),
    );
    expect(issues.some((issue) => issue.startsWith('ledger.maxEntries: '))).toBe(true);
    expect(issues.some((issue) => issue.startsWith('ledger.retentionSeconds: '))).toBe(true);
    expect(issues).toContain('ledger: unknown key "keep"');
    expect(issues).toHaveLength(3);
  });

  it('takes money as numbers or decimal strings alike, and keeps exact decimal strings', () => {
    const config = parseConfig(`
providers:
  openrouter: { baseURL: https://openrouter.ai/api/v1, fee: { percent: 5.5 } }
models:
  cheap: { provider: openrouter, model: a/cheap, pricing: { prompt: 0.00000012, completion: "0.0000003", request: 0, image: 0.001, input_cache_read: 3e-8, input_cache_write: 1.5e-7, internal_reasoning: 0.1 } }
maxCostPerRequest: 0.5
budgets: [{ scope: global, usd: 100, period: month }]
costCheck: { maxReportedUsd: 2.5 }
keys: [{ name: team-a, key: sk-team-a-123456, budget: { usd: 5, period: day } }]
`);
    expect(config.providers.openrouter?.fee).toEqual({ percent: '5.5' });
    expect(config.models?.cheap?.pricing).toEqual({
      prompt: '0.00000012', // YAML reads 1.2e-7; its decimal text, not the nearest double's
      completion: '0.0000003',
      request: '0',
      image: '0.001',
      input_cache_read: '0.00000003',
      input_cache_write: '0.00000015',
      internal_reasoning: '0.1',
    });
    expect(config.maxCostPerRequest).toBe('0.5');
    expect(config.budgets?.[0]?.usd).toBe('100');
    expect(config.costCheck?.maxReportedUsd).toBe('2.5');
    expect(config.keys?.[0]?.budget).toEqual({ usd: '5', period: 'day' });
  });

  it('says what a money field accepts when an amount is wrong', () => {
    const issues = issuesOf(() =>
      validateConfig({
        providers: { a: { baseURL: 'http://127.0.0.1:1/v1', fee: { percent: 120 } } },
        models: { m: { provider: 'a', model: 'x/y', pricing: { prompt: -0.1 } } },
        maxCostPerRequest: '1e-2',
        budgets: [{ scope: 'global', usd: Number.POSITIVE_INFINITY, period: 'day' }],
        costCheck: { maxReportedUsd: true },
        keys: [{ name: 'team-a', key: 'sk-team-a-123456', budget: { usd: '$5', period: 'day' } }],
      }),
    );
    const expected = 'expected a USD amount as a number or decimal string, e.g. 5 or "0.25"';
    expect(issues).toEqual([
      'providers.a.fee.percent: must be a percent from 0 to 100',
      `models.m.pricing.prompt: ${expected}`,
      `maxCostPerRequest: ${expected}`,
      `budgets[0].usd: ${expected}`,
      `costCheck.maxReportedUsd: ${expected}`,
      `keys[0].budget.usd: ${expected}`,
    ]);
    expect(
      issuesOf(() => validateConfig({ providers: { a: { baseURL: 'http://x/v1', fee: { percent: -1 } } } })),
    ).toEqual([
      'providers.a.fee.percent: expected a percent as a number or decimal string, e.g. 5.5 or "5.5"',
    ]);
  });

  it('checks references when shapes are right', () => {
    const issues = issuesOf(() =>
      validateConfig({
        providers: { a: { baseURL: 'http://127.0.0.1:1/v1' } },
        models: { m: { provider: 'nope', model: 'x/y' } },
        routes: { r: { strategy: 'fallback', targets: ['s'] }, s: { strategy: 'fallback', targets: ['r'] } },
        defaultProvider: 'b',
      }),
    );
    expect(issues).toEqual([
      'defaultProvider: unknown provider "b"',
      'models.m.provider: unknown provider "nope"',
      'routes.r: routes form a cycle: r -> s -> r',
    ]);
  });

  it('reports unset variables, schema problems and references together, from one run', () => {
    const text = `
providers:
  or: { baseURL: https://openrouter.ai/api/v1, apiKey: "\${OPENROUTER_API_KEY}" }
  local: { baseURL: "\${LOCAL_BASE_URL}" }
models:
  cheap: { provider: or, model: meta-llama/llama-3.3-70b-instruct, contextLength: 0 }
  premium: { provider: or, model: anthropic/claude-sonnet-4.6, price: "0.000003" }
routes:
  smart: { strategy: cascade, targets: [cheap, x] }
  a: { strategy: fallback, targets: [b] }
  b: { strategy: fallback, targets: [a] }
`;
    expect(issuesOf(() => parseConfig(text, { env: {} }))).toEqual([
      'providers.or.apiKey: environment variable OPENROUTER_API_KEY is not set',
      'providers.local.baseURL: environment variable LOCAL_BASE_URL is not set',
      'models.cheap.contextLength: Too small: expected number to be >0',
      'models.premium: unknown key "price"',
      'routes.smart.targets[1]: unknown model "x"',
      'routes.a: routes form a cycle: a -> b -> a',
    ]);
  });

  it('checks references even where the schema fails, skipping what is missing or rejected', () => {
    const issues = issuesOf(() =>
      validateConfig({
        models: { m: { provider: 'nope' }, n: { provider: '', model: 'x/y' } },
        routes: {
          r: { targets: ['m', 'ghost', 7, { target: 'ghost2', weight: -1 }], hedgeAfterMs: 5 },
          s: { strategy: 'slowest', targets: ['r'], hedgeAfterMs: 5 },
          t: 'not a route',
        },
        keys: [{ name: 'k', key: 'short', routes: ['nowhere'] }, 'not a key'],
      }),
    );
    expect(issues).toContain('providers: Invalid input: expected record, received undefined');
    expect(issues).toContain('routes.r.targets[1]: unknown model "ghost"');
    expect(issues).toContain('routes.r.targets[3]: unknown model "ghost2"');
    expect(issues).toContain('keys[0].routes[0]: unknown route or model "nowhere"');
    // Without providers, no provider can be checked; a rejected strategy says nothing of hedgeAfterMs.
    expect(issues.filter((issue) => issue.includes('unknown provider'))).toEqual([]);
    expect(issues.filter((issue) => issue.includes('hedgeAfterMs'))).toEqual([]);
    expect(issues.filter((issue) => issue.startsWith('models.n.provider'))).toEqual([
      'models.n.provider: must not be empty',
    ]);
  });

  it('survives any shape without crashing', () => {
    for (const input of [null, 'text', 42, [], { providers: [], models: 5, routes: [1], keys: 'x' }]) {
      expect(issuesOf(() => validateConfig(input)).length).toBeGreaterThan(0);
    }
    // A section that is not an object makes its names unknown: no target is called unknown then.
    const issues = issuesOf(() =>
      validateConfig({
        providers: { a: { baseURL: 'http://127.0.0.1:1/v1' } },
        models: 'oops',
        routes: { r: { strategy: 'fallback', targets: ['m'] } },
      }),
    );
    expect(issues).toEqual(['models: Invalid input: expected record, received string']);
  });

  it('never puts a secret from the file into an error message', () => {
    const text = `providers:\n  a: { baseURL: "not a url", apiKey: "sk-or-v1-supersecret" }\n`;
    const error = (() => {
      try {
        parseConfig(text);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected an error');
    })();
    expect(error.message).toContain('providers.a.baseURL: must be an http(s) URL');
    expect(error.message).not.toContain('supersecret');
  });
});

describe('loadConfig', () => {
  it('reads JSON and YAML files', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'switchyard-config-'));
    const jsonPath = join(folder, 'config.json');
    await writeFile(jsonPath, JSON.stringify({ providers: { a: { baseURL: 'http://127.0.0.1:9/v1' } } }));
    const yamlPath = join(folder, 'config.yaml');
    await writeFile(yamlPath, CONTRACT);
    expect((await loadConfig(jsonPath)).providers.a?.baseURL).toBe('http://127.0.0.1:9/v1');
    expect(
      Object.keys((await loadConfig(yamlPath, { env: { OPENROUTER_API_KEY: 'k' } })).routes ?? {}),
    ).toEqual(['default', 'smart']);
  });

  it('says which file is missing or malformed', async () => {
    await expect(loadConfig('/nonexistent/switchyard.yaml')).rejects.toThrow(
      'Invalid Switchyard configuration in /nonexistent/switchyard.yaml:\n  file not found',
    );
    const folder = await mkdtemp(join(tmpdir(), 'switchyard-config-'));
    const path = join(folder, 'broken.yaml');
    await writeFile(path, 'providers: [unclosed');
    await expect(loadConfig(path)).rejects.toThrow(/not valid YAML or JSON/);
  });
});
