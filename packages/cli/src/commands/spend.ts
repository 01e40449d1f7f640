import { parseUsd, type SpendGrouping, summarizeSpend, summarizeSpendBy } from '@switchyard/core';
import type { CliCommand } from '../cli-command.js';
import { CliUsageError } from '../cli-usage-error.js';
import { formatDollars } from '../format-dollars.js';
import { parseCommandFlags } from '../parse-command-flags.js';
import { readTextInput } from '../read-text-input.js';
import { readLedgerEntries } from '../spend/read-ledger-entries.js';
import { renderTable } from '../table.js';
import { writeJson } from '../write-json.js';

const GROUPINGS: readonly SpendGrouping[] = ['key', 'route', 'model', 'provider', 'target', 'user'];

const USAGE = `Usage: switchyard spend <ledger-file> [--by key|route|model|provider|target|user] [--json]

What a ledger export cost and what the answer cache saved, per key (or route, model, ...):
attempts, tokens, cost with fees, cache hits and the cost of the answers they replayed. Exact
decimal maths. The file is what ledgerToJson(await router.ledger.query()) writes
({ summary, entries }), a JSON array of entries, or JSON lines; - reads stdin.

Options:
  --by <field>   group by key (default), route, model (the model id sent), provider, target or user
  --json         print JSON with exact decimal strings
  -h, --help     show this help

Example:
  switchyard spend ledger.json --by route`;

/** `switchyard spend`: spend and cache savings of a ledger export, per key, route or model. */
export const spendCommand: CliCommand = {
  name: 'spend',
  summary: 'spend and cache savings of a ledger export, per key, route or model',
  usage: USAGE,
  async run(context) {
    const { values, positionals } = parseCommandFlags({
      argv: context.argv,
      flags: { by: { type: 'string' } },
      maxPositionals: 1,
    });
    if (values.help) {
      context.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const path = positionals[0];
    if (path === undefined) throw new CliUsageError('missing <ledger-file>: a ledger export, or - for stdin');
    const by = (values.by ?? 'key') as SpendGrouping;
    if (!GROUPINGS.includes(by))
      throw new CliUsageError(`--by must be one of ${GROUPINGS.join(', ')}, got "${values.by}"`);
    const text = await readTextInput({ flag: '<ledger-file>', path, stdin: context.stdin });
    const entries = readLedgerEntries(text, path === '-' ? 'stdin' : path);
    const groups = summarizeSpendBy(entries, by);
    const total = summarizeSpend(entries);
    if (values.json) {
      writeJson(context.stdout, { by, groups, total });
      return 0;
    }
    const row = (name: string, summary: typeof total): string[] => [
      name,
      summary.attempts.toLocaleString('en-US'),
      (summary.promptTokens + summary.completionTokens).toLocaleString('en-US'),
      formatDollars(parseUsd(summary.costUsd)),
      summary.cacheHits.toLocaleString('en-US'),
      formatDollars(parseUsd(summary.savedUsd)),
    ];
    context.stdout.write(
      renderTable({
        columns: [
          { header: by },
          { header: 'attempts', align: 'right' },
          { header: 'tokens', align: 'right' },
          { header: 'cost', align: 'right' },
          { header: 'cache hits', align: 'right' },
          { header: 'saved', align: 'right' },
        ],
        rows: [...groups.map((group) => row(group.group ?? '(none)', group.summary)), row('total', total)],
      }),
    );
    return 0;
  },
};
