import { open } from 'node:fs/promises';
import type { CliCommand } from '../cli-command.js';
import { CliUsageError } from '../cli-usage-error.js';
import { gatewayAdmin, getAdmin } from '../gateway-admin.js';
import { parseCommandFlags } from '../parse-command-flags.js';

const USAGE = `Usage: switchyard ledger export --gateway <url> [--format json|csv] [--drain] [--max <n>] [--out <file>]

Exports the spend ledger of a running Switchyard gateway (the Express gateway started with
SWITCHYARD_ADMIN_KEY) through its admin endpoint, GET /admin/ledger: every settled attempt with
its cost, and in JSON the exact totals and the ledger's stats (what it holds, evicted, drained).
Works on the memory and the Redis ledger alike. The admin key is read from SWITCHYARD_ADMIN_KEY.

With --drain the exported entries leave a memory ledger (counted in its stats as drained): run it
on a schedule to archive the ledger before its cap (ledger.maxEntries) evicts entries. A Redis
ledger is not drained; bound it with the config's ledger section instead.

Options:
  --gateway <url>      the gateway's address, e.g. http://127.0.0.1:8787
  --format json|csv    json (default: { summary, entries, ledger }) or csv (RFC 4180, a header row)
  --json               same as --format json
  --drain              remove what is exported (memory ledger)
  --max <n>            at most n entries, the oldest first
  --out <file>         write there instead of stdout (never over an existing file)
  -h, --help           show this help

Example:
  SWITCHYARD_ADMIN_KEY=... switchyard ledger export --gateway http://127.0.0.1:8787 --drain --format csv --out ledger-$(date +%s).csv`;

/** `switchyard ledger export`: a running gateway's ledger as JSON or CSV, optionally drained. */
export const ledgerExportCommand: CliCommand = {
  name: 'ledger export',
  summary: "export (and drain) a running gateway's spend ledger",
  usage: USAGE,
  async run(context) {
    const { values } = parseCommandFlags({
      argv: context.argv,
      flags: {
        gateway: { type: 'string' },
        format: { type: 'string' },
        drain: { type: 'boolean' },
        max: { type: 'string' },
        out: { type: 'string' },
      },
    });
    if (values.help) {
      context.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'csv')
      throw new CliUsageError(`--format must be json or csv, got "${format}"`);
    if (values.json && format !== 'json')
      throw new CliUsageError('--json cannot be combined with --format csv');
    if (values.max !== undefined && !/^[1-9]\d*$/.test(values.max)) {
      throw new CliUsageError(`--max must be a positive integer, got "${values.max}"`);
    }
    const admin = gatewayAdmin({ gateway: values.gateway, env: context.env });
    const query = new URLSearchParams({ format });
    if (values.drain) query.set('drain', 'true');
    if (values.max !== undefined) query.set('max', values.max);
    // Opened before the drain, so that a bad --out never costs the drained entries.
    const file = values.out === undefined ? undefined : await openNew(values.out);
    try {
      const text = await (await getAdmin(admin, `/admin/ledger?${query}`)).text();
      if (file === undefined) context.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      else await file.writeFile(text);
    } finally {
      await file?.close();
    }
    return 0;
  },
};

async function openNew(path: string) {
  try {
    return await open(path, 'wx');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliUsageError(
      code === 'EEXIST'
        ? `--out ${path} exists: choose a new file`
        : `--out ${path} cannot be written (${code})`,
    );
  }
}
