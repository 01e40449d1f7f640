import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSwitchyard, runSwitchyardJson } from './run-switchyard.js';

const API_KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function configFile(name: string, text: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, text);
  return path;
}

const VALID = `
providers:
  openrouter: { baseURL: https://openrouter.ai/api/v1, apiKey: "${API_KEY}", headers: { X-OpenRouter-Title: my-app }, fee: { percent: "5.5" } }
  local: { baseURL: http://127.0.0.1:11434/v1 }
models:
  cheap: { provider: openrouter, model: meta-llama/llama-3.3-70b-instruct, pricing: { prompt: "0.00000012", completion: "0.0000003" }, contextLength: 131072 }
  premium: { provider: openrouter, model: anthropic/claude-sonnet-4.6 }
routes:
  default: { strategy: fallback, targets: [premium, cheap] }
  smart: { strategy: cascade, targets: [cheap, premium], validate: { json: true } }
  spread: { strategy: weighted, targets: [{ target: cheap, weight: 3 }, premium] }
`;

describe('switchyard check-config', () => {
  it('summarises a valid file and never prints the API key', async () => {
    const path = await configFile('valid.yaml', VALID);
    const { code, stdout, stderr } = await runSwitchyard(['check-config', path]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`${path}: valid`);
    expect(stdout).not.toContain(API_KEY);
    expect(stdout).toMatch(
      /openrouter\s+https:\/\/openrouter\.ai\/api\/v1\s+set\s+5\.5%\s+X-OpenRouter-Title/,
    );
    expect(stdout).toMatch(/local\s+http:\/\/127\.0\.0\.1:11434\/v1\s+not set/);
    expect(stdout).toMatch(
      /cheap\s+openrouter\s+meta-llama\/llama-3\.3-70b-instruct\s+pricing, contextLength/,
    );
    expect(stdout).toMatch(/smart\s+cascade\s+cheap, premium\s+json/);
    expect(stdout).toMatch(/spread\s+weighted\s+cheap \(×3\), premium/);
  });

  it("lists the targets of a conditional route: its rules' and its default", async () => {
    const path = await configFile(
      'conditional.yaml',
      `${VALID}  tiered: { strategy: conditional, rules: [{ when: { caller.tags: pro }, target: premium }], default: cheap }\n`,
    );
    const { code, stdout } = await runSwitchyard(['check-config', path]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/tiered\s+conditional\s+premium, cheap/);
  });

  it('gives the summary as JSON', async () => {
    const path = await configFile(
      'valid.json',
      JSON.stringify({
        providers: { openrouter: { baseURL: 'https://openrouter.ai/api/v1', apiKey: API_KEY } },
        routes: { default: { strategy: 'fallback', targets: ['openai/gpt-4o-mini', 'openai/gpt-4o'] } },
      }),
    );
    const { code, json } = await runSwitchyardJson<Record<string, unknown>>(['check-config', path]);
    expect(code).toBe(0);
    expect(json).toEqual({
      valid: true,
      file: path,
      providers: [
        {
          name: 'openrouter',
          baseURL: 'https://openrouter.ai/api/v1',
          apiKey: 'set',
          auth: 'bearer',
          headers: [],
          fee: null,
          preset: null,
        },
      ],
      defaultProvider: 'openrouter',
      aliases: [],
      routes: [
        {
          name: 'default',
          strategy: 'fallback',
          targets: [{ target: 'openai/gpt-4o-mini' }, { target: 'openai/gpt-4o' }],
          validate: [],
        },
      ],
    });
    expect(JSON.stringify(json)).not.toContain(API_KEY);
  });

  it('prints every issue with its path and exits 1', async () => {
    const path = await configFile(
      'invalid.yaml',
      `
providers:
  openrouter: { baseURL: https://openrouter.ai/api/v1, apiKey: "${API_KEY}" }
routes:
  x: { strategy: fallback, targets: [nope] }
  y: { strategy: fastest, targets: [x], hedgeAfterMs: 10 }
`,
    );
    const { code, stdout } = await runSwitchyard(['check-config', path]);
    expect(code).toBe(1);
    expect(stdout.trimEnd().split('\n')).toEqual([
      `${path}: invalid configuration (2 issues)`,
      'routes.x.targets[0]: unknown model "nope"',
      'routes.y.hedgeAfterMs: applies only to strategy "hedge"',
    ]);
    expect(stdout).not.toContain(API_KEY);
    const asJson = await runSwitchyardJson<{ valid: boolean; issues: Array<{ path: string }> }>([
      'check-config',
      path,
    ]);
    expect(asJson.code).toBe(1);
    expect(asJson.json.valid).toBe(false);
    expect(asJson.json.issues.map((issue) => issue.path)).toEqual([
      'routes.x.targets[0]',
      'routes.y.hedgeAfterMs',
    ]);
  });

  it('reports unset variables, schema problems and references together, in one run', async () => {
    // Variables no environment sets, so the run does not depend on the machine's.
    const path = await configFile(
      'six-problems.yaml',
      `
providers:
  or: { baseURL: https://openrouter.ai/api/v1, apiKey: "\${SWITCHYARD_TEST_UNSET_API_KEY}" }
  local: { baseURL: "\${SWITCHYARD_TEST_UNSET_BASE_URL}" }
models:
  cheap: { provider: or, model: meta-llama/llama-3.3-70b-instruct, contextLength: 0 }
  premium: { provider: anthropic, model: anthropic/claude-sonnet-4.6 }
routes:
  smart: { strategy: cascade, targets: [cheap, x], validator: { json: true } }
`,
    );
    const { code, stdout, stderr } = await runSwitchyard(['check-config', path]);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(stdout.trimEnd().split('\n')).toEqual([
      `${path}: invalid configuration (6 issues)`,
      'providers.or.apiKey: environment variable SWITCHYARD_TEST_UNSET_API_KEY is not set',
      'providers.local.baseURL: environment variable SWITCHYARD_TEST_UNSET_BASE_URL is not set',
      'models.cheap.contextLength: Too small: expected number to be >0',
      'routes.smart: unknown key "validator"',
      'models.premium.provider: unknown provider "anthropic"',
      'routes.smart.targets[1]: unknown model "x"',
    ]);
  });

  it('shows what a preset filled in, and reports a bad preset with its path', async () => {
    const path = await configFile(
      'presets.yaml',
      `
providers:
  tm: { preset: tokenmix, apiKey: "${API_KEY}" }
  or: { preset: openrouter, apiKey: "${API_KEY}", headers: { HTTP-Referer: "" } }
  claude: { preset: anthropic, apiKey: "${API_KEY}" }
  local: { preset: ollama }
`,
    );
    const { code, stdout } = await runSwitchyard(['check-config', path]);
    expect(code).toBe(0);
    expect(stdout).not.toContain(API_KEY);
    expect(stdout).toMatch(/tm\s+https:\/\/api\.tokenmix\.ai\/v1\s+set\s+none\s+tokenmix/);
    expect(stdout).toMatch(
      /or\s+https:\/\/openrouter\.ai\/api\/v1\s+set\s+5\.5%\s+X-OpenRouter-Title\s+openrouter/,
    );
    expect(stdout).toMatch(
      /claude\s+https:\/\/api\.anthropic\.com\/v1\s+set \(x-api-key\)\s+none\s+anthropic/,
    );
    expect(stdout).toMatch(/local\s+http:\/\/localhost:11434\/v1\s+not set\s+none\s+ollama/);

    const broken = await configFile(
      'bad-preset.yaml',
      `
providers:
  tm: { preset: tokenmx, apiKey: "${API_KEY}" }
  groq: { preset: groq }
`,
    );
    const invalid = await runSwitchyard(['check-config', broken]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout.trimEnd().split('\n')).toEqual([
      `${broken}: invalid configuration (2 issues)`,
      'providers.tm.preset: unknown preset "tokenmx"; known: openrouter, tokenmix, openai, deepseek, groq, together, mistral, anthropic, ollama, vllm',
      'providers.groq.apiKey: preset "groq" (Groq) needs an API key: set apiKey, e.g. "${GROQ_API_KEY}"',
    ]);
  });

  it('keeps the API key out of a YAML syntax error that quotes the file', async () => {
    const path = await configFile(
      'broken.yaml',
      `providers:\n  openrouter:\n    apiKey: ${API_KEY}\n    baseURL: [unclosed\n`,
    );
    const { code, stdout, stderr } = await runSwitchyard(['check-config', path]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/invalid configuration \(1 issue\)\n\(file\): not valid YAML or JSON/);
    expect(stdout + stderr).not.toContain(API_KEY);
    expect(stdout + stderr).not.toContain('0123456789abcdef');
  });

  it('reports a missing file as an issue, and a missing argument as a usage error', async () => {
    const missing = await runSwitchyard(['check-config', join(directory, 'absent.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('(file): file not found');
    const noArgument = await runSwitchyard(['check-config']);
    expect(noArgument).toEqual({
      code: 2,
      stdout: '',
      stderr: 'switchyard check-config: missing <file>: the configuration to check\n',
    });
  });
});
