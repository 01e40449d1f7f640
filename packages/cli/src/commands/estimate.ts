import {
  BUNDLED_CATALOG,
  type ChatRequest,
  estimateRequest,
  findModel,
  parseUsd,
  type SwitchyardConfig,
  SwitchyardError,
  type TargetEstimate,
} from '@switchyard/core';
import type { CliCommand } from '../cli-command.js';
import { CliUsageError } from '../cli-usage-error.js';
import { parseIntegerFlag } from '../flag-values.js';
import { formatDollars } from '../format-dollars.js';
import { loadValidConfig } from '../load-config-file.js';
import { parseCommandFlags } from '../parse-command-flags.js';
import { readTextInput } from '../read-text-input.js';
import { renderTable } from '../table.js';
import { writeJson } from '../write-json.js';

/** Without `--config`: OpenRouter without a key, so `--model` is a raw catalog id. */
const MINIMAL_CONFIG: SwitchyardConfig = {
  providers: { openrouter: { baseURL: 'https://openrouter.ai/api/v1' } },
};

/** Completion tokens the expected cost assumes without `--expected-tokens`. */
const DEFAULT_EXPECTED_TOKENS = 256;

const USAGE = `Usage: switchyard estimate --model <name> --prompt-file <file> [--max-tokens <n>]
                          [--expected-tokens <n>] [--config <file>] [--json]

What one request would cost on each candidate target, before sending it: the prompt counted
with the tokenizer, the worst case (completion = --max-tokens, else the model's largest
completion, else what the context window leaves) and the expected cost (completion =
--expected-tokens). Targets the router would skip (context window too small, a missing
capability) are listed with the reason. Prices come from the config's aliases and the bundled
catalog; platform fees are included where a provider configures one (\`fee: { percent }\`;
the default config has none: see \`switchyard cost fee\`).

Options:
  --model <name>            a route, an alias, or a raw model id (required)
  --prompt-file <file>      the user message text; - reads stdin (required)
  --max-tokens <n>          the request's max_tokens
  --expected-tokens <n>     completion tokens you expect, for the expected cost (default 256)
  --config <file>           a Switchyard configuration; without it, --model is an id of the
                            bundled OpenRouter catalog
  --json                    print JSON (USD as exact decimal strings)
  -h, --help                show this help

Example:
  switchyard estimate --model smart --prompt-file prompt.txt --max-tokens 1000 --config switchyard.yaml`;

/** `switchyard estimate`: worst-case and expected cost of a request on each candidate target. */
export const estimateCommand: CliCommand = {
  name: 'estimate',
  summary: 'worst-case and expected cost of a request on each candidate target',
  usage: USAGE,
  async run(context) {
    const { values } = parseCommandFlags({
      argv: context.argv,
      flags: {
        model: { type: 'string' },
        'prompt-file': { type: 'string' },
        'max-tokens': { type: 'string' },
        'expected-tokens': { type: 'string' },
        config: { type: 'string' },
      },
    });
    if (values.help) {
      context.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const model = values.model;
    if (model === undefined || model === '') throw new CliUsageError('--model is required');
    const promptFile = values['prompt-file'];
    if (promptFile === undefined) throw new CliUsageError('--prompt-file is required (- reads stdin)');
    const maxTokens = optionalCount({ flag: '--max-tokens', text: values['max-tokens'] });
    const expectedTokens =
      optionalCount({ flag: '--expected-tokens', text: values['expected-tokens'] }) ??
      DEFAULT_EXPECTED_TOKENS;
    const prompt = await readTextInput({ flag: '--prompt-file', path: promptFile, stdin: context.stdin });
    if (values.config === undefined && findModel(BUNDLED_CATALOG, model) === undefined) {
      throw new CliUsageError(
        `--model "${model}" is not in the bundled catalog (see switchyard models --search); give --config for routes and aliases`,
      );
    }
    const config =
      values.config === undefined ? MINIMAL_CONFIG : await loadValidConfig({ path: values.config });

    const request: ChatRequest = {
      model,
      messages: [{ role: 'user', content: prompt }],
      ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
    };
    let estimates: TargetEstimate[];
    try {
      estimates = estimateRequest({
        config,
        catalog: BUNDLED_CATALOG.models,
        request,
        expectedCompletionTokens: expectedTokens,
      });
    } catch (error) {
      if (isUnknownModel(error)) throw new CliUsageError(`--model names ${(error as Error).message}`);
      throw error;
    }
    if (values.json) {
      writeJson(context.stdout, {
        model,
        maxTokens: maxTokens ?? null,
        expectedCompletionTokens: expectedTokens,
        estimates: estimates.map((estimate) => ({
          target: estimate.target,
          provider: estimate.provider,
          model: estimate.model,
          promptTokens: estimate.promptTokens,
          completionTokens: estimate.completionTokens ?? null,
          worstCaseUsd: estimate.worstCaseUsd ?? null,
          expectedUsd: estimate.expectedUsd ?? null,
          skipReason: estimate.skipReason ?? null,
        })),
      });
      return 0;
    }
    context.stdout.write(renderEstimates({ estimates, expectedTokens }));
    return 0;
  },
};

function optionalCount(input: { flag: string; text: string | undefined }): number | undefined {
  if (input.text === undefined) return undefined;
  return parseIntegerFlag({
    flag: input.flag,
    text: input.text,
    min: 1,
    expected: 'a positive whole number of tokens',
  });
}

function dollars(usd: string | undefined): string {
  return usd === undefined ? 'unpriced' : formatDollars(parseUsd(usd));
}

function isUnknownModel(error: unknown): boolean {
  return SwitchyardError.isInstance(error) && error.code === 'no_route';
}

function renderEstimates(input: { estimates: readonly TargetEstimate[]; expectedTokens: number }): string {
  return renderTable({
    columns: [
      { header: 'target' },
      { header: 'provider / model' },
      { header: 'prompt tokens', align: 'right' },
      { header: 'worst-case completion', align: 'right' },
      { header: 'worst case', align: 'right' },
      { header: `expected (${input.expectedTokens.toLocaleString('en-US')} out)`, align: 'right' },
      { header: 'skipped' },
    ],
    rows: input.estimates.map((estimate) => [
      estimate.target,
      `${estimate.provider} / ${estimate.model}`,
      estimate.promptTokens.toLocaleString('en-US'),
      estimate.completionTokens === undefined
        ? 'unbounded'
        : estimate.completionTokens.toLocaleString('en-US'),
      dollars(estimate.worstCaseUsd),
      dollars(estimate.expectedUsd),
      estimate.skipReason ?? '',
    ]),
  });
}
