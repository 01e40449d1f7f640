import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSwitchyard } from './run-switchyard.js';

interface EstimateJson {
  model: string;
  maxTokens: number | null;
  expectedCompletionTokens: number;
  estimates: Array<{
    target: string;
    provider: string;
    model: string;
    promptTokens: number;
    completionTokens: number | null;
    worstCaseUsd: string | null;
    expectedUsd: string | null;
    skipReason: string | null;
  }>;
}

const API_KEY = 'sk-or-v1-estimate0123456789abcdef';
let directory: string;
let configPath: string;
let promptPath: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-cli-estimate-'));
  configPath = join(directory, 'switchyard.yaml');
  promptPath = join(directory, 'prompt.txt');
  await writeFile(
    configPath,
    `providers:
  openrouter: { baseURL: https://openrouter.ai/api/v1, apiKey: "${API_KEY}" }
  local: { baseURL: http://127.0.0.1:11434/v1 }
models:
  cheap: { provider: openrouter, model: mock/cheap, pricing: { prompt: "0.000001", completion: "0.000002" }, contextLength: 100000 }
  premium: { provider: openrouter, model: mock/premium, pricing: { prompt: "0.00001", completion: "0.00003" }, contextLength: 200000 }
  tiny: { provider: local, model: tiny-model, contextLength: 100 }
routes:
  smart: { strategy: cascade, targets: [cheap, premium, tiny] }
`,
  );
  await writeFile(promptPath, 'Summarise the quarterly report in three bullet points. '.repeat(20));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function estimateJson(argv: readonly string[], stdin?: string): Promise<EstimateJson> {
  const result = await runSwitchyard(['estimate', ...argv, '--json'], stdin === undefined ? {} : { stdin });
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as EstimateJson;
}

describe('switchyard estimate', () => {
  it('prices every target of a route, worst case and expected', async () => {
    const json = await estimateJson([
      '--model',
      'smart',
      '--config',
      configPath,
      '--prompt-file',
      promptPath,
      '--max-tokens',
      '1000',
      '--expected-tokens',
      '200',
    ]);
    expect(json.estimates.map((estimate) => estimate.target)).toEqual(['cheap', 'premium', 'tiny']);
    const [cheap, premium, tiny] = json.estimates;
    const promptTokens = cheap?.promptTokens ?? 0;
    expect(promptTokens).toBeGreaterThan(100);
    expect(cheap).toEqual({
      target: 'cheap',
      provider: 'openrouter',
      model: 'mock/cheap',
      promptTokens,
      completionTokens: 1000,
      // prompt × $1/M + 1,000 × $2/M; expected: 200 completion tokens.
      worstCaseUsd: String((promptTokens * 1 + 1000 * 2) / 1_000_000),
      expectedUsd: String((promptTokens * 1 + 200 * 2) / 1_000_000),
      skipReason: null,
    });
    expect(premium?.worstCaseUsd).toBe(String((promptTokens * 10 + 1000 * 30) / 1_000_000));
    expect(tiny).toMatchObject({ provider: 'local', worstCaseUsd: null, skipReason: 'context_window' });
  });

  it('prints a row per route target', async () => {
    const { code, stdout, stderr } = await runSwitchyard([
      'estimate',
      '--model',
      'smart',
      '--config',
      configPath,
      '--prompt-file',
      promptPath,
      '--max-tokens',
      '1000',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^target\s+provider \/ model\s+prompt tokens\s+worst-case completion\s+worst case\s+expected \(256 out\)\s+skipped$/,
    );
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(
      /^cheap\s+openrouter \/ mock\/cheap\s+[\d,]+\s+1,000\s+\$0\.00\d+\s+\$0\.00\d+$/,
    );
    expect(lines[3]).toMatch(/^premium\s+openrouter \/ mock\/premium\s/);
    expect(lines[4]).toMatch(/^tiny\s+local \/ tiny-model\s.*unpriced\s+unpriced\s+context_window$/);
    expect(stdout).not.toContain(API_KEY);
  });

  it('takes a raw catalog id without --config, and the prompt from stdin', async () => {
    const json = await estimateJson(
      ['--model', 'openai/gpt-4o-mini', '--prompt-file', '-', '--max-tokens', '100'],
      'Hi',
    );
    expect(json.estimates).toHaveLength(1);
    expect(json.estimates[0]).toMatchObject({
      target: 'openai/gpt-4o-mini',
      provider: 'openrouter',
      model: 'openai/gpt-4o-mini',
      completionTokens: 100,
      skipReason: null,
    });
    // $0.15 / $0.60 per million: the worst case is exact.
    const promptTokens = json.estimates[0]?.promptTokens ?? 0;
    expect(json.estimates[0]?.worstCaseUsd).toBe(String((promptTokens * 0.15 + 100 * 0.6) / 1_000_000));
  });

  it('rejects missing and bad flags with exit 2', async () => {
    expect(await runSwitchyard(['estimate', '--prompt-file', promptPath])).toMatchObject({
      code: 2,
      stderr: 'switchyard estimate: --model is required\n',
    });
    expect(await runSwitchyard(['estimate', '--model', 'openai/gpt-4o-mini'])).toMatchObject({
      code: 2,
      stderr: 'switchyard estimate: --prompt-file is required (- reads stdin)\n',
    });
    const maxTokens = await runSwitchyard([
      'estimate',
      '--model',
      'openai/gpt-4o-mini',
      '--prompt-file',
      promptPath,
      '--max-tokens',
      '0',
    ]);
    expect(maxTokens).toMatchObject({
      code: 2,
      stderr: 'switchyard estimate: --max-tokens must be a positive whole number of tokens, got "0"\n',
    });
    const file = await runSwitchyard([
      'estimate',
      '--model',
      'openai/gpt-4o-mini',
      '--prompt-file',
      join(directory, 'none.txt'),
    ]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(
      /^switchyard estimate: --prompt-file cannot read ".*none\.txt": file not found\n$/,
    );
    const unknown = await runSwitchyard([
      'estimate',
      '--model',
      'nobody/nothing',
      '--prompt-file',
      promptPath,
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^switchyard estimate: --model "nobody\/nothing" is not in the bundled catalog/,
    );
    const route = await runSwitchyard([
      'estimate',
      '--model',
      'dumb',
      '--config',
      configPath,
      '--prompt-file',
      promptPath,
    ]);
    expect(route.code).toBe(2);
    expect(route.stderr).toBe('switchyard estimate: --model names unknown model or route "dumb"\n');
  });
});
