import type { CliCommand } from '../cli-command.js';
import { type CapacityRow, computeCapacityRows, describeCapacityVerdict } from '../cost/capacity-rows.js';
import { OPENROUTER_FREE_LIMITS } from '../cost/openrouter-free-limits.js';
import { formatFixedDecimal } from '../fixed-decimal.js';
import { parseDecimalFlag, parseIntegerListFlag } from '../flag-values.js';
import { parseCommandFlags } from '../parse-command-flags.js';
import { renderTable } from '../table.js';
import { writeJson } from '../write-json.js';

const limits = OPENROUTER_FREE_LIMITS;
const count = (value: number): string => value.toLocaleString('en-US');

const USAGE = `Usage: switchyard cost capacity [--dau <n,...>] [--calls <n>] [--peak-factor <n>] [--json]

Whether OpenRouter's free model variants (":free" ids) can carry an app: requests per day =
daily active users × calls per user, against the free-model limits:
  ${count(limits.requestsPerDayWithoutCredits)} requests/day without credits,
  ${count(limits.requestsPerDayWithCredits)} requests/day after buying at least $${limits.creditsForHigherLimitUsd} of credits,
  ${limits.requestsPerMinute} requests/minute either way (failed attempts can count).
The busiest minute is estimated as --peak-factor × the average minute and flagged when it passes
${limits.requestsPerMinute}/minute. Paid models have no platform rate limit.

Options:
  --dau <n,...>         daily active users, comma-separated (default 100,1000,10000)
  --calls <n>           model calls per user per day (default 5)
  --peak-factor <n>     busiest minute ÷ average minute (default 10)
  --json                print JSON
  -h, --help            show this help

Example:
  switchyard cost capacity --dau 100,1000 --calls 5`;

/** `switchyard cost capacity`: daily volume against OpenRouter's free-model limits. */
export const costCapacityCommand: CliCommand = {
  name: 'cost capacity',
  summary: "requests per day against OpenRouter's free-model limits",
  usage: USAGE,
  async run(context) {
    const { values } = parseCommandFlags({
      argv: context.argv,
      flags: { dau: { type: 'string' }, calls: { type: 'string' }, 'peak-factor': { type: 'string' } },
    });
    if (values.help) {
      context.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const dailyActiveUsers = parseIntegerListFlag({
      flag: '--dau',
      text: values.dau ?? '100,1000,10000',
      expected: 'a list of whole numbers of daily active users',
    });
    const callsPerUser = parseDecimalFlag({
      flag: '--calls',
      text: values.calls ?? '5',
      expected: 'a non-negative number of calls per user per day',
    });
    const peakFactor = parseDecimalFlag({
      flag: '--peak-factor',
      text: values['peak-factor'] ?? '10',
      min: 0n,
      exclusiveMin: true,
      expected: 'a positive number (busiest minute ÷ average minute)',
    });
    const rows = computeCapacityRows({ dailyActiveUsers, callsPerUser, peakFactor });
    if (values.json) {
      writeJson(context.stdout, {
        callsPerUser: Number(formatFixedDecimal(callsPerUser)),
        peakFactor: Number(formatFixedDecimal(peakFactor)),
        limits,
        rows: rows.map((row) => ({
          ...row,
          averagePerMinute: round(row.averagePerMinute),
          peakPerMinute: round(row.peakPerMinute),
          verdictText: describeCapacityVerdict({ verdict: row.verdict }),
        })),
      });
      return 0;
    }
    context.stdout.write(renderCapacityTable({ rows, peakFactor: formatFixedDecimal(peakFactor) }));
    return 0;
  },
};

function renderCapacityTable(input: { rows: readonly CapacityRow[]; peakFactor: string }): string {
  return renderTable({
    columns: [
      { header: 'DAU', align: 'right' },
      { header: 'requests/day', align: 'right' },
      { header: `free ${count(limits.requestsPerDayWithoutCredits)}/day` },
      {
        header: `$${limits.creditsForHigherLimitUsd} credits ${count(limits.requestsPerDayWithCredits)}/day`,
      },
      { header: 'avg/min', align: 'right' },
      { header: `peak/min (×${input.peakFactor})` },
      { header: 'verdict' },
    ],
    rows: input.rows.map((row) => [
      count(row.dailyActiveUsers),
      count(row.requestsPerDay),
      ...row.tiers.map((tier) => (tier.fits ? 'fits' : `over by ${count(tier.overBy)}`)),
      row.averagePerMinute.toFixed(2),
      `${row.peakPerMinute.toFixed(2)}${row.peakOverMinuteLimit ? ` over ${limits.requestsPerMinute}/min` : ''}`,
      describeCapacityVerdict({ verdict: row.verdict }),
    ]),
  });
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
