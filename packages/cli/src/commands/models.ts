import {
  BUNDLED_CATALOG,
  type CatalogFilter,
  type CatalogModel,
  filterCatalog,
  formatUsd,
  parseUsd,
} from '@switchyard/core';
import type { CliCommand } from '../cli-command.js';
import { CliUsageError } from '../cli-usage-error.js';
import { parseIntegerFlag } from '../flag-values.js';
import { formatDollars } from '../format-dollars.js';
import { loadValidConfig } from '../load-config-file.js';
import { type AliasModel, aliasModels } from '../models/alias-models.js';
import { CAPABILITY_SHORT_NAMES, type ModelRow, toModelRow } from '../models/model-row.js';
import { parseCommandFlags } from '../parse-command-flags.js';
import { renderTable } from '../table.js';
import { writeJson } from '../write-json.js';

const USAGE = `Usage: switchyard models [--free] [--max-price <usd>] [--min-context <n>] [--supports <names>]
                        [--search <text>] [--config <file>] [--json]

The bundled model catalog (OpenRouter's /models format, a dated snapshot): prices in USD per
million tokens (prompt / completion), context window, largest completion, capabilities. With
--config, the file's aliases are listed too, with their overrides of the catalog marked "*".
Every filter given must hold; prices are compared exactly.

Options:
  --free                         only models whose prompt and completion prices are both 0
  --max-price <usd>              highest price per million tokens, prompt and completion alike
  --max-prompt-price <usd>       highest prompt price per million tokens
  --max-completion-price <usd>   highest completion price per million tokens
  --min-context <n>              smallest context window in tokens
  --supports <names>             required capabilities, comma-separated: tools, vision,
                                 response_format, structured_outputs, reasoning, or any other
                                 supported_parameters name (vision = image input)
  --search <text>                case-insensitive substring of the id or name
  --config <file>                also list this configuration's aliases
  --json                         print JSON (exact decimal strings)
  -h, --help                     show this help

Example:
  switchyard models --supports tools --max-price 1`;

/** `switchyard models`: the catalog with prices per million tokens, filtered. */
export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'the model catalog: prices per million tokens, context, capabilities',
  usage: USAGE,
  async run(context) {
    const { values } = parseCommandFlags({
      argv: context.argv,
      flags: {
        free: { type: 'boolean' },
        'max-price': { type: 'string' },
        'max-prompt-price': { type: 'string' },
        'max-completion-price': { type: 'string' },
        'min-context': { type: 'string' },
        supports: { type: 'string' },
        search: { type: 'string' },
        config: { type: 'string' },
      },
    });
    if (values.help) {
      context.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const filter: CatalogFilter = {};
    const maxPrice = perTokenLimit({ flag: '--max-price', text: values['max-price'] });
    const maxPrompt =
      perTokenLimit({ flag: '--max-prompt-price', text: values['max-prompt-price'] }) ?? maxPrice;
    const maxCompletion =
      perTokenLimit({ flag: '--max-completion-price', text: values['max-completion-price'] }) ?? maxPrice;
    if (maxPrompt !== undefined) filter.maxPromptPrice = maxPrompt;
    if (maxCompletion !== undefined) filter.maxCompletionPrice = maxCompletion;
    if (values['min-context'] !== undefined) {
      filter.minContext = parseIntegerFlag({
        flag: '--min-context',
        text: values['min-context'],
        expected: 'a whole number of tokens',
      });
    }
    if (values.supports !== undefined)
      filter.supports = parseNames({ flag: '--supports', text: values.supports });
    if (values.free) filter.free = true;
    if (values.search !== undefined) filter.search = values.search;

    const catalog = BUNDLED_CATALOG;
    for (const name of unknownCapabilities({ names: filter.supports ?? [], models: catalog.models })) {
      context.stderr.write(`switchyard models: no model in the catalog supports "${name}"\n`);
    }
    const models = filterCatalog(catalog, filter).map(toModelRow);
    const configPath = values.config;
    const aliases =
      configPath === undefined
        ? []
        : filterAliases({
            aliases: aliasModels({ config: await loadValidConfig({ path: configPath }), catalog }),
            filter,
          });
    if (values.json) {
      writeJson(context.stdout, {
        source: catalog.source,
        snapshotDate: catalog.snapshotDate,
        filter,
        models: models.map(rowJson),
        ...(configPath === undefined
          ? {}
          : {
              aliases: aliases.map((alias) => ({
                alias: alias.alias,
                provider: alias.provider,
                model: alias.modelId,
                inCatalog: alias.inCatalog,
                overridden: alias.overridden,
                ...rowJson(toModelRow(alias.model)),
              })),
            }),
      });
      return 0;
    }
    context.stdout.write(
      `${models.length} of ${catalog.models.length} models (bundled catalog, snapshot ${catalog.snapshotDate})\n` +
        'Prices in USD per million tokens; capabilities: json = response_format, schema = structured_outputs\n\n',
    );
    if (models.length > 0) {
      context.stdout.write(
        renderTable({ columns: MODEL_COLUMNS, rows: models.map((row) => modelCells({ row })) }),
      );
    }
    if (configPath !== undefined) context.stdout.write(renderAliases({ aliases, configPath }));
    return 0;
  },
};

const MODEL_COLUMNS = [
  { header: 'model' },
  { header: 'prompt $/M', align: 'right' },
  { header: 'completion $/M', align: 'right' },
  { header: 'context', align: 'right' },
  { header: 'max completion', align: 'right' },
  { header: 'capabilities' },
] as const;

/** A price flag in USD per million tokens → the catalog's USD per token, for an exact "at most". */
function perTokenLimit(input: { flag: string; text: string | undefined }): string | undefined {
  if (input.text === undefined) return undefined;
  let perMillion: bigint;
  try {
    perMillion = parseUsd(input.text.replace(/^\$/, ''));
  } catch {
    throw new CliUsageError(
      `${input.flag} must be a USD amount per million tokens, e.g. 0.5, got "${input.text}"`,
    );
  }
  // Catalog prices are whole picodollars per token, so flooring the limit keeps "price ≤ limit" exact.
  return formatUsd(perMillion / 1_000_000n);
}

/** Capability names no catalog model has (likely typos); `vision` is always known. */
function unknownCapabilities(input: { names: readonly string[]; models: readonly CatalogModel[] }): string[] {
  return input.names.filter(
    (name) => name !== 'vision' && !input.models.some((model) => model.supported_parameters?.includes(name)),
  );
}

function parseNames(input: { flag: string; text: string }): string[] {
  const names = input.text.split(',').map((name) => name.trim());
  const empty = names.find((name) => name === '');
  if (empty !== undefined || names.length === 0) {
    throw new CliUsageError(
      `${input.flag} must be a list of capability names, e.g. tools,vision, got "${input.text}"`,
    );
  }
  return names;
}

/** The aliases that meet the filter; `--search` also matches the alias name and its model id. */
function filterAliases(input: { aliases: readonly AliasModel[]; filter: CatalogFilter }): AliasModel[] {
  const { search, ...rest } = input.filter;
  const kept = new Set(
    filterCatalog(
      { source: 'configuration', snapshotDate: '', models: input.aliases.map((alias) => alias.model) },
      rest,
    ).map((model) => model.id),
  );
  const needle = search?.toLowerCase();
  return input.aliases.filter(
    (alias) =>
      kept.has(alias.alias) &&
      (needle === undefined ||
        [alias.alias, alias.modelId, alias.model.name ?? ''].some((text) =>
          text.toLowerCase().includes(needle),
        )),
  );
}

function rowJson(row: ModelRow) {
  return {
    id: row.id,
    name: row.name ?? null,
    promptUsdPerMillion: row.promptPerMillion === undefined ? null : formatUsd(row.promptPerMillion),
    completionUsdPerMillion:
      row.completionPerMillion === undefined ? null : formatUsd(row.completionPerMillion),
    contextLength: row.contextLength ?? null,
    maxCompletionTokens: row.maxCompletionTokens ?? null,
    capabilities: row.capabilities,
  };
}

function modelCells(input: { row: ModelRow; overridden?: readonly string[] }): string[] {
  const { row } = input;
  const mark = (field: string, text: string): string =>
    input.overridden?.includes(field) ? `${text}*` : text;
  return [
    row.id,
    mark('pricing.prompt', row.promptPerMillion === undefined ? '?' : formatDollars(row.promptPerMillion)),
    mark(
      'pricing.completion',
      row.completionPerMillion === undefined ? '?' : formatDollars(row.completionPerMillion),
    ),
    mark('contextLength', row.contextLength === undefined ? '?' : row.contextLength.toLocaleString('en-US')),
    mark(
      'maxCompletionTokens',
      row.maxCompletionTokens === undefined ? '-' : row.maxCompletionTokens.toLocaleString('en-US'),
    ),
    mark('capabilities', row.capabilities.map((name) => CAPABILITY_SHORT_NAMES[name]).join(' ')),
  ];
}

function renderAliases(input: { aliases: readonly AliasModel[]; configPath: string }): string {
  const heading = `\nAliases in ${input.configPath} (* = overridden by the alias)\n`;
  if (input.aliases.length === 0) return `${heading}(none match)\n`;
  return `${heading}${renderTable({
    columns: [{ header: 'alias' }, { header: 'provider / model' }, ...MODEL_COLUMNS.slice(1)],
    rows: input.aliases.map((alias) => {
      const [, ...cells] = modelCells({ row: toModelRow(alias.model), overridden: alias.overridden });
      const model = `${alias.provider} / ${alias.modelId}${alias.inCatalog ? '' : ' (not in catalog)'}`;
      return [alias.alias, model, ...cells];
    }),
  })}`;
}
