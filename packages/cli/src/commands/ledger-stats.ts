import type { LedgerStats, SpendSummary } from '@switchyard/core';
import type { CliCommand } from '../cli-command.js';
import { gatewayAdmin, getAdmin } from '../gateway-admin.js';
import { parseCommandFlags } from '../parse-command-flags.js';
import { renderTable } from '../table.js';
import { writeJson } from '../write-json.js';

const USAGE = `Usage: switchyard ledger stats --gateway <url> [--json]

What the spend ledger of a running gateway holds and what left it (GET /admin/ledger/stats): the
entries held, the bounds (ledger.maxEntries, ledger.retentionSeconds), and the entries evicted
over them and drained by exports, with their exact cost, by key and by route. For a Redis ledger,
the entries trimmed from its stream. The admin key is read from SWITCHYARD_ADMIN_KEY.

Options:
  --gateway <url>   the gateway's address, e.g. http://127.0.0.1:8787
  --json            print the stats as JSON
  -h, --help        show this help

Example:
  SWITCHYARD_ADMIN_KEY=... switchyard ledger stats --gateway http://127.0.0.1:8787`;

/** What the gateway answers: a memory ledger's stats, or a Redis stream's trimmed count. */
type GatewayLedgerStats = { store: string; trimmed?: number } & Partial<LedgerStats>;

const summaryRow = (name: string, summary: SpendSummary): string[] => [
  name,
  summary.attempts.toLocaleString('en-US'),
  `$${summary.costUsd}`,
];

/** `switchyard ledger stats`: a running gateway's ledger, held and gone. */
export const ledgerStatsCommand: CliCommand = {
  name: 'ledger stats',
  summary: "what a running gateway's ledger holds, evicted and drained",
  usage: USAGE,
  async run(context) {
    const { values } = parseCommandFlags({ argv: context.argv, flags: { gateway: { type: 'string' } } });
    if (values.help) {
      context.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const admin = gatewayAdmin({ gateway: values.gateway, env: context.env });
    const stats = (await (await getAdmin(admin, '/admin/ledger/stats')).json()) as GatewayLedgerStats;
    if (values.json) {
      writeJson(context.stdout, stats);
      return 0;
    }
    const out = context.stdout;
    out.write(`store: ${stats.store}\n`);
    if (stats.held === undefined || stats.evicted === undefined || stats.drained === undefined) {
      out.write(`entries trimmed from the stream: ${(stats.trimmed ?? 0).toLocaleString('en-US')}\n`);
      return 0;
    }
    const bound = [
      stats.maxEntries === undefined
        ? undefined
        : `at most ${stats.maxEntries.toLocaleString('en-US')} entries`,
      stats.retentionSeconds === undefined ? undefined : `none older than ${stats.retentionSeconds} s`,
    ].filter((part) => part !== undefined);
    const held = `${stats.held.toLocaleString('en-US')} ${stats.held === 1 ? 'entry' : 'entries'}`;
    out.write(`held: ${held} (${bound.join(', ') || 'unbounded'})\n\n`);
    const columns = [
      { header: 'left the ledger' },
      { header: 'attempts', align: 'right' as const },
      { header: 'cost', align: 'right' as const },
    ];
    out.write(
      renderTable({
        columns,
        rows: [
          summaryRow('evicted', stats.evicted),
          ...Object.entries(stats.evicted.byKey).map(([key, summary]) =>
            summaryRow(`  key ${key || '(none)'}`, summary),
          ),
          ...Object.entries(stats.evicted.byRoute).map(([route, summary]) =>
            summaryRow(`  route ${route || '(none)'}`, summary),
          ),
          summaryRow('drained (exported)', stats.drained),
        ],
      }),
    );
    return 0;
  },
};
