import type { CliCommand } from '../cli-command.js';
import { CliUsageError } from '../cli-usage-error.js';
import {
  computeMixRows,
  type MixRow,
  ROUTING_POLICIES,
  ROUTING_POLICY_LABELS,
  type RoutingPolicy,
} from '../cost/mix-rows.js';
import { FIXED_ONE, type FixedDecimal, formatFixedDecimal, roundFixedDecimal } from '../fixed-decimal.js';
import { parseDecimalFlag, parseDecimalListFlag } from '../flag-values.js';
import { parseCommandFlags } from '../parse-command-flags.js';
import { renderTable } from '../table.js';
import { writeJson } from '../write-json.js';

const USAGE = `Usage: switchyard cost mix [--ratio <n>] [--premium-share <p,p,p,p>] [--json]

Relative cost per request of four routing policies when the premium model costs --ratio times the
cheap one (the cheap model = 1.0x). Each policy's share is the fraction of its requests that end up
on the premium model, and

  relative cost = share × ratio + (1 − share)

  everything premium            share 1 by definition
  half premium                  a random half to each model: share 0.5
  cheap-first                   cheap model first, the share escalated to premium
  cheap-first plus validation   the same with a validator, so fewer escalations

The relative cost counts an escalated request at the premium price only. The column "with cheap
attempt" shows what a cheap-first policy really costs when every escalated request also paid for
its cheap attempt: 1 + share × ratio. Saving vs everything premium = (1 − cost / ratio) × 100%.

Options:
  --ratio <n>               premium price ÷ cheap price, at least 1 (default 8)
  --premium-share <p,...>   four shares, each 0–1, one per policy in the order above
                            (default 1,0.5,0.2,0.1)
  --json                    print JSON with exact numbers
  -h, --help                show this help

Example:
  switchyard cost mix --ratio 8 --premium-share 1,0.5,0.2,0.1`;

const SHARES_EXPECTED = `four shares between 0 and 1, one per policy (${ROUTING_POLICIES.map(
  (policy) => ROUTING_POLICY_LABELS[policy],
).join(', ')})`;

/** `switchyard cost mix`: relative cost of routing policies, the article's table. */
export const costMixCommand: CliCommand = {
  name: 'cost mix',
  summary: 'relative cost of everything-premium, half-premium and cheap-first routing',
  usage: USAGE,
  async run(context) {
    const { values } = parseCommandFlags({
      argv: context.argv,
      flags: { ratio: { type: 'string' }, 'premium-share': { type: 'string' } },
    });
    if (values.help) {
      context.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const ratio = parseDecimalFlag({
      flag: '--ratio',
      text: values.ratio ?? '8',
      min: FIXED_ONE,
      expected: 'a number of at least 1 (premium price ÷ cheap price)',
    });
    const sharesText = values['premium-share'] ?? '1,0.5,0.2,0.1';
    const shares = parseDecimalListFlag({
      flag: '--premium-share',
      text: sharesText,
      max: FIXED_ONE,
      expected: SHARES_EXPECTED,
    });
    if (shares.length !== ROUTING_POLICIES.length) {
      throw new CliUsageError(`--premium-share must be ${SHARES_EXPECTED}, got "${sharesText}"`);
    }
    const premiumShares = Object.fromEntries(
      ROUTING_POLICIES.map((policy, index) => [policy, shares[index] ?? 0n]),
    ) as Record<RoutingPolicy, FixedDecimal>;
    const rows = computeMixRows({ ratio, premiumShares });
    if (values.json) {
      writeJson(context.stdout, {
        ratio: exact(ratio),
        rows: rows.map((row) => ({
          policy: row.policy,
          label: ROUTING_POLICY_LABELS[row.policy],
          premiumShare: exact(row.premiumShare),
          relativeCost: exact(row.relativeCost),
          savingPercent: exact(row.savingPercent),
          relativeCostWithCheapAttempt:
            row.relativeCostWithCheapAttempt === undefined ? null : exact(row.relativeCostWithCheapAttempt),
        })),
      });
      return 0;
    }
    context.stdout.write(renderMixTable({ ratio, rows }));
    return 0;
  },
};

/** An exact decimal as a JSON number (its shortest form is the decimal itself). */
function exact(value: FixedDecimal): number {
  return Number(formatFixedDecimal(value));
}

function rounded(value: FixedDecimal, decimals: number): string {
  return formatFixedDecimal(roundFixedDecimal(value, decimals));
}

/** `8.0x`, `2.4x`, `2.05x`: at least one decimal, at most three, as the article writes them. */
function formatMultiple(value: FixedDecimal): string {
  const text = rounded(value, 3);
  return `${text.includes('.') ? text : `${text}.0`}x`;
}

function renderMixTable(input: { ratio: FixedDecimal; rows: readonly MixRow[] }): string {
  const ratio = formatFixedDecimal(input.ratio);
  const table = renderTable({
    columns: [
      { header: 'policy' },
      { header: 'premium share', align: 'right' },
      { header: 'relative cost', align: 'right' },
      { header: 'saving vs everything premium', align: 'right' },
      { header: 'with cheap attempt', align: 'right' },
    ],
    rows: input.rows.map((row) => [
      ROUTING_POLICY_LABELS[row.policy],
      `${rounded(row.premiumShare * 100n, 1)}%`,
      formatMultiple(row.relativeCost),
      `${rounded(row.savingPercent, 1)}%`,
      row.relativeCostWithCheapAttempt === undefined ? '-' : formatMultiple(row.relativeCostWithCheapAttempt),
    ]),
  });
  return [
    `Relative cost per request: cheap model 1.0x, premium model ${formatMultiple(input.ratio)} (--ratio ${ratio})`,
    `relative cost = share × ${ratio} + (1 − share), share = requests that end up on the premium model`,
    '',
    table,
    `with cheap attempt: an escalated request pays its cheap attempt too, 1 + share × ${ratio}`,
    '',
  ].join('\n');
}
