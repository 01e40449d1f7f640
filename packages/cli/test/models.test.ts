import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED_CATALOG } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSwitchyard, runSwitchyardJson } from './run-switchyard.js';

interface ModelJson {
  id: string;
  promptUsdPerMillion: string | null;
  completionUsdPerMillion: string | null;
  contextLength: number | null;
  maxCompletionTokens: number | null;
  capabilities: string[];
}

interface ModelsJson {
  snapshotDate: string;
  filter: Record<string, unknown>;
  models: ModelJson[];
  aliases?: Array<ModelJson & { alias: string; model: string; overridden: string[]; inCatalog: boolean }>;
}

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-cli-models-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('switchyard models', () => {
  it('lists the whole bundled catalog by default', async () => {
    const { code, json } = await runSwitchyardJson<ModelsJson>(['models']);
    expect(code).toBe(0);
    expect(json.snapshotDate).toBe(BUNDLED_CATALOG.snapshotDate);
    expect(json.models.map((model) => model.id)).toEqual(BUNDLED_CATALOG.models.map((model) => model.id));
  });

  it('--free lists only models priced "0"', async () => {
    const { json } = await runSwitchyardJson<ModelsJson>(['models', '--free']);
    expect(json.models.length).toBeGreaterThan(0);
    for (const model of json.models) {
      expect(model).toMatchObject({ promptUsdPerMillion: '0', completionUsdPerMillion: '0' });
      const entry = BUNDLED_CATALOG.models.find((candidate) => candidate.id === model.id);
      expect([entry?.pricing?.prompt, entry?.pricing?.completion]).toEqual(['0', '0']);
    }
    const freeIds = BUNDLED_CATALOG.models
      .filter((model) => model.pricing?.prompt === '0' && model.pricing?.completion === '0')
      .map((model) => model.id);
    expect(json.models.map((model) => model.id)).toEqual(freeIds);
  });

  it('converts --max-price per million exactly and combines filters', async () => {
    const { json } = await runSwitchyardJson<ModelsJson>([
      'models',
      '--max-price',
      '0.6',
      '--supports',
      'tools,vision',
      '--min-context',
      '128000',
    ]);
    expect(json.filter).toMatchObject({ maxPromptPrice: '0.0000006', maxCompletionPrice: '0.0000006' });
    expect(json.models.map((model) => model.id)).toContain('openai/gpt-4o-mini'); // $0.15 / $0.60: at the limit
    for (const model of json.models) {
      expect(Number(model.promptUsdPerMillion)).toBeLessThanOrEqual(0.6);
      expect(Number(model.completionUsdPerMillion)).toBeLessThanOrEqual(0.6);
      expect(model.capabilities).toEqual(expect.arrayContaining(['tools', 'vision']));
      expect(model.contextLength).toBeGreaterThanOrEqual(128000);
    }
  });

  it('prints a table with prices per million tokens', async () => {
    const { code, stdout } = await runSwitchyard(['models', '--search', 'gpt-4o-mini']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1 of \d+ models \(bundled catalog, snapshot \d{4}-\d{2}-\d{2}\)\n/);
    expect(stdout).toMatch(
      /openai\/gpt-4o-mini\s+\$0\.15\s+\$0\.60\s+128,000\s+16,384\s+tools json schema vision\n$/,
    );
  });

  it('shows the aliases of --config with their overrides marked', async () => {
    const path = join(directory, 'aliases.yaml');
    await writeFile(
      path,
      `providers:
  openrouter: { baseURL: https://openrouter.ai/api/v1 }
models:
  cheap: { provider: openrouter, model: meta-llama/llama-3.3-70b-instruct, pricing: { prompt: "0.00000012" }, contextLength: 100000 }
  premium: { provider: openrouter, model: anthropic/claude-sonnet-4.6 }
`,
    );
    const { json } = await runSwitchyardJson<ModelsJson>([
      'models',
      '--config',
      path,
      '--search',
      'llama-3.3',
    ]);
    expect(json.aliases).toEqual([
      expect.objectContaining({
        alias: 'cheap',
        model: 'meta-llama/llama-3.3-70b-instruct',
        inCatalog: true,
        overridden: ['pricing.prompt', 'contextLength'],
        promptUsdPerMillion: '0.12',
        contextLength: 100000,
      }),
    ]);
    const catalogEntry = json.models.find((model) => model.id === 'meta-llama/llama-3.3-70b-instruct');
    expect(json.aliases?.[0]?.completionUsdPerMillion).toBe(catalogEntry?.completionUsdPerMillion);
    const table = await runSwitchyard(['models', '--config', path, '--search', 'llama-3.3']);
    expect(table.stdout).toContain(`Aliases in ${path} (* = overridden by the alias)`);
    expect(table.stdout).toMatch(
      /cheap\s+openrouter \/ meta-llama\/llama-3\.3-70b-instruct\s+\$0\.12\*\s+\$\d+\.\d+\s+100,000\*\s/,
    );
  });

  it('rejects bad filter values with exit 2', async () => {
    expect(await runSwitchyard(['models', '--max-price', 'cheap'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'switchyard models: --max-price must be a USD amount per million tokens, e.g. 0.5, got "cheap"\n',
    });
    const context = await runSwitchyard(['models', '--min-context', '128k']);
    expect(context.code).toBe(2);
    expect(context.stderr).toBe(
      'switchyard models: --min-context must be a whole number of tokens, got "128k"\n',
    );
    const free = await runSwitchyard(['models', '--free=yes']);
    expect(free).toMatchObject({ code: 2, stderr: 'switchyard models: --free takes no value\n' });
  });
});
