import type { ConfigIssue, SwitchyardConfig } from '@switchyard/core';
import type { CliCommand, TextSink } from '../cli-command.js';
import { CliUsageError } from '../cli-usage-error.js';
import { formatConfigIssues, loadConfigFile } from '../load-config-file.js';
import { parseCommandFlags } from '../parse-command-flags.js';
import { renderTable } from '../table.js';
import { writeJson } from '../write-json.js';

const USAGE = `Usage: switchyard check-config <file> [--json]

Loads a Switchyard configuration (JSON or YAML, with \${NAME} and \${NAME:-default} read from the
environment) and validates it. When it is valid, prints its providers, aliases and routes and
exits 0; otherwise prints every issue, one per line with its path, and exits 1: unset environment
variables, schema problems and cross-references (unknown providers, models and routes, cycles),
all in one run. API keys are never printed: only whether one is set.

Options:
  --json        print JSON ({ valid, providers, aliases, routes } or { valid, issues })
  -h, --help    show this help

Example:
  switchyard check-config switchyard.yaml`;

/** `switchyard check-config`: validate a configuration file and summarise it. */
export const checkConfigCommand: CliCommand = {
  name: 'check-config',
  summary: 'validate a configuration file and summarise it',
  usage: USAGE,
  async run(context) {
    const { values, positionals } = parseCommandFlags({ argv: context.argv, flags: {}, maxPositionals: 1 });
    if (values.help) {
      context.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const path = positionals[0];
    if (path === undefined) throw new CliUsageError('missing <file>: the configuration to check');
    const loaded = await loadConfigFile({ path });
    if (loaded.issues !== undefined) {
      if (values.json) writeJson(context.stdout, { valid: false, file: path, issues: loaded.issues });
      else writeIssues({ sink: context.stdout, path, issues: loaded.issues });
      return 1;
    }
    const summary = summarizeConfig(loaded.config);
    if (values.json) writeJson(context.stdout, { valid: true, file: path, ...summary });
    else writeSummary({ sink: context.stdout, path, summary });
    return 0;
  },
};

function writeIssues(input: { sink: TextSink; path: string; issues: readonly ConfigIssue[] }): void {
  const count = input.issues.length;
  input.sink.write(`${input.path}: invalid configuration (${count} issue${count === 1 ? '' : 's'})\n`);
  for (const line of formatConfigIssues(input.issues)) input.sink.write(`${line}\n`);
}

/** What `check-config` shows of a valid configuration: no secret values. */
interface ConfigSummary {
  providers: Array<{
    name: string;
    baseURL: string;
    apiKey: 'set' | 'not set';
    /** How the key is sent: `bearer`, or the header it goes in (`x-api-key`). */
    auth: string;
    /** Header names (those turned off with `""` left out). */
    headers: string[];
    fee: { percent: string; freeRequestsPerMonth?: number } | null;
    /** The preset that filled the fields the section left out, or null. */
    preset: string | null;
  }>;
  defaultProvider: string;
  aliases: Array<{ name: string; provider: string; model: string; overrides: string[] }>;
  routes: Array<{
    name: string;
    strategy: string;
    targets: Array<{ target: string; weight?: number }>;
    validate: string[];
  }>;
}

function summarizeConfig(config: SwitchyardConfig): ConfigSummary {
  const providerNames = Object.keys(config.providers);
  return {
    providers: Object.entries(config.providers).map(([name, provider]) => ({
      name,
      baseURL: hideUrlCredentials(provider.baseURL),
      apiKey: provider.apiKey === undefined || provider.apiKey === '' ? 'not set' : 'set',
      auth: provider.auth === undefined || provider.auth === 'bearer' ? 'bearer' : provider.auth.header,
      headers: Object.entries(provider.headers ?? {})
        .filter(([, value]) => value !== '')
        .map(([header]) => header),
      fee: provider.fee === undefined ? null : { ...provider.fee },
      preset: provider.preset ?? null,
    })),
    defaultProvider: config.defaultProvider ?? providerNames[0] ?? '',
    aliases: Object.entries(config.models ?? {}).map(([name, model]) => ({
      name,
      provider: model.provider,
      model: model.model,
      overrides: (['pricing', 'contextLength', 'maxCompletionTokens', 'capabilities'] as const).filter(
        (key) => model[key] !== undefined,
      ),
    })),
    routes: Object.entries(config.routes ?? {}).map(([name, route]) => ({
      name,
      strategy: route.strategy,
      // A conditional route's targets are its rules' and its default.
      targets: (
        route.targets ?? [
          ...(route.rules ?? []).map((rule) => rule.target),
          ...(route.default === undefined ? [] : [route.default]),
        ]
      ).map((entry) =>
        typeof entry === 'string'
          ? { target: entry }
          : { target: entry.target, ...(entry.weight === undefined ? {} : { weight: entry.weight }) },
      ),
      validate: Object.entries(route.validate ?? {})
        .filter(([, value]) => value !== undefined && value !== false)
        .map(([key]) => key),
    })),
  };
}

/** A base URL may carry `user:password@`; show the rest only. */
function hideUrlCredentials(baseURL: string): string {
  if (!URL.canParse(baseURL)) return baseURL;
  const url = new URL(baseURL);
  if (url.username === '' && url.password === '') return baseURL;
  url.username = '';
  url.password = '';
  return url.toString();
}

function describeFee(fee: ConfigSummary['providers'][number]['fee']): string {
  if (fee === null) return 'none';
  if (fee.freeRequestsPerMonth === undefined) return `${fee.percent}%`;
  return `${fee.percent}% after ${fee.freeRequestsPerMonth.toLocaleString('en-US')} free requests/month`;
}

function writeSummary(input: { sink: TextSink; path: string; summary: ConfigSummary }): void {
  const { sink, summary } = input;
  sink.write(`${input.path}: valid\n\nProviders (default: ${summary.defaultProvider})\n`);
  sink.write(
    renderTable({
      columns: [
        { header: 'name' },
        { header: 'base URL' },
        { header: 'apiKey' },
        { header: 'fee' },
        { header: 'headers' },
        { header: 'preset' },
      ],
      rows: summary.providers.map((provider) => [
        provider.name,
        provider.baseURL,
        provider.auth === 'bearer' || provider.apiKey === 'not set'
          ? provider.apiKey
          : `${provider.apiKey} (${provider.auth})`,
        describeFee(provider.fee),
        provider.headers.join(', '),
        provider.preset ?? '',
      ]),
    }),
  );
  sink.write('\nAliases\n');
  sink.write(
    summary.aliases.length === 0
      ? '(none)\n'
      : renderTable({
          columns: [{ header: 'name' }, { header: 'provider' }, { header: 'model' }, { header: 'overrides' }],
          rows: summary.aliases.map((alias) => [
            alias.name,
            alias.provider,
            alias.model,
            alias.overrides.join(', '),
          ]),
        }),
  );
  sink.write('\nRoutes\n');
  sink.write(
    summary.routes.length === 0
      ? '(none)\n'
      : renderTable({
          columns: [
            { header: 'name' },
            { header: 'strategy' },
            { header: 'targets' },
            { header: 'validate' },
          ],
          rows: summary.routes.map((route) => [
            route.name,
            route.strategy,
            route.targets
              .map((entry) =>
                entry.weight === undefined ? entry.target : `${entry.target} (×${entry.weight})`,
              )
              .join(', '),
            route.validate.join(', '),
          ]),
        }),
  );
}
