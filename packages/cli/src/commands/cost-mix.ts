import type { CliCommand } from '../cli-command.js';
import { computeMixRows, type MixRow, ROUTING_POLICY_LABELS } from '../cost/mix-rows.js';
import { FIXED_ONE, type FixedDecimal, formatFixedDecimal, roundFixedDecimal } from '../fixed-decimal.js';
import { parseDecimalFlag, parseDecimalListFlag } from '../flag-values.js';
import { parseCommandFlags } from '../parse-command-flags.js';
import { renderTable } from '../table.js';
import { writeJson } from '../write-json.js';

const USAGE = `Usage: switchyard cost mix [--ratio <n>] [--premium-share <p,...>] [--json]

Relative monthly cost of routing policies when the premium model costs --ratio times the cheap
one per request, for each premium share p: the fraction of requests that truly need the premium
model (the cheap model answers them badly). Costs are relative to "all cheap" = 1:

  all premium                          ratio                 bad answers: 0
  half and half (random split)         (ratio + 1) / 2       bad answers: p / 2
  cheap-first, no validation           1                     bad answers: p (delivered to users)
  cheap-first + validation (cascade)   1 + p × ratio         bad answers: 0

The cascade pays the cheap attempt on every request and the premium one on the p escalated
requests, assuming the validator catches every bad answer. Saving vs all premium =
(1 − cost / ratio) × 100%; negative means dearer than all premium.

Options:
  --ratio <n>             premium price ÷ cheap price, at least 1 (default 8)
  --premium-share <p,...> shares of requests that need the premium model, each 0–1
                          (default 1,0.5,0.2,0.1)
  --json                  print JSON with exact numbers
  -h, --help              show this help

Example:
  switchyard cost mix --ratio 8 --premium-share 1,0.5,0.2,0.1`;

/** `switchyard cost mix`: relative cost and quality of routing policies. */
export const costMixCommand: CliCommand = {
  name: 'cost mix',
  summary: 'relative cost of all-premium, half-and-half, cheap-first and cascade routing',
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
    const premiumShares = parseDecimalListFlag({
      flag: '--premium-share',
      text: values['premium-share'] ?? '1,0.5,0.2,0.1',
      max: FIXED_ONE,
      expected: 'a list of shares between 0 and 1',
    });
    const rows = computeMixRows({ ratio, premiumShares });
    if (values.json) {
      writeJson(context.stdout, {
        ratio: exact(ratio),
        rows: rows.map((row) => ({
          premiumShare: exact(row.premiumShare),
          policies: row.policies.map((policy) => ({
            policy: policy.policy,
            label: ROUTING_POLICY_LABELS[policy.policy],
            relativeCost: exact(policy.relativeCost),
            savingPercent: exact(policy.savingPercent),
            badAnswerShare: exact(policy.badAnswerShare),
          })),
        })),
      });
      return 0;
    }
    context.stdout.write(renderMixTable(rows));
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

function renderMixTable(rows: readonly MixRow[]): string {
  const cells: string[][] = [];
  rows.forEach((row, rowIndex) => {
    if (rowIndex > 0) cells.push([]);
    row.policies.forEach((policy, policyIndex) => {
      cells.push([
        policyIndex === 0 ? formatFixedDecimal(row.premiumShare) : '',
        ROUTING_POLICY_LABELS[policy.policy],
        rounded(policy.relativeCost, 3),
        `${rounded(policy.savingPercent, 1)}%`,
        `${rounded(policy.badAnswerShare * 100n, 1)}%`,
      ]);
    });
  });
  return renderTable({
    columns: [
      { header: 'premium share', align: 'right' },
      { header: 'policy' },
      { header: 'relative cost', align: 'right' },
      { header: 'saving vs all premium', align: 'right' },
      { header: 'answered badly', align: 'right' },
    ],
    rows: cells,
  });
}
