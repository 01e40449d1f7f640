import { formatUsd } from '@switchyard/core';
import type { CliCommand } from '../cli-command.js';
import { computeFeeRows } from '../cost/fee-rows.js';
import { formatFixedDecimal, parseFixedDecimal } from '../fixed-decimal.js';
import { parseDecimalFlag, parseUsdListFlag } from '../flag-values.js';
import { formatDollars } from '../format-dollars.js';
import { parseCommandFlags } from '../parse-command-flags.js';
import { renderTable } from '../table.js';
import { writeJson } from '../write-json.js';

const USAGE = `Usage: switchyard cost fee [--spend <usd,...>] [--fee <percent>] [--json]

The platform fee on each monthly token spend, and what the month really costs. Model prices in
OpenRouter's catalog carry no markup; the fee is charged on the credits you buy. Exact decimal
maths: amounts are never rounded (the fee rounds half up at 1e-12 USD).

Options:
  --spend <usd,...>   monthly token spends in USD, comma-separated (default 500,2000,10000)
  --fee <percent>     platform fee in percent (default 5.5: OpenRouter pay-as-you-go by card;
                      5 when paying in crypto; BYOK, your own provider keys: the first 1M
                      requests a month are free, then 5)
  --json              print JSON with exact decimal strings
  -h, --help          show this help

Example:
  switchyard cost fee --spend 500,2000,10000 --fee 5.5`;

/** `switchyard cost fee`: the platform fee and total on monthly token spends. */
export const costFeeCommand: CliCommand = {
  name: 'cost fee',
  summary: 'platform fee and total on monthly token spends',
  usage: USAGE,
  async run(context) {
    const { values } = parseCommandFlags({
      argv: context.argv,
      flags: { spend: { type: 'string' }, fee: { type: 'string' } },
    });
    if (values.help) {
      context.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const spends = parseUsdListFlag({ flag: '--spend', text: values.spend ?? '500,2000,10000' });
    const feePercent = formatFixedDecimal(
      parseDecimalFlag({
        flag: '--fee',
        text: values.fee ?? '5.5',
        max: parseFixedDecimal('100'),
        expected: 'a percent between 0 and 100, e.g. 5.5',
      }),
    );
    const rows = computeFeeRows({ spends, feePercent });
    if (values.json) {
      writeJson(context.stdout, {
        feePercent,
        rows: rows.map((row) => ({
          spendUsd: formatUsd(row.spend),
          feeUsd: formatUsd(row.fee),
          totalUsd: formatUsd(row.total),
        })),
      });
      return 0;
    }
    context.stdout.write(
      renderTable({
        columns: [
          { header: 'monthly spend', align: 'right' },
          { header: `fee (${feePercent}%)`, align: 'right' },
          { header: 'total', align: 'right' },
        ],
        rows: rows.map((row) => [formatDollars(row.spend), formatDollars(row.fee), formatDollars(row.total)]),
      }),
    );
    return 0;
  },
};
