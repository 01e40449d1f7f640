import { divideFixed, FIXED_ONE, type FixedDecimal, multiplyFixed } from '../fixed-decimal.js';

/** The routing policies `switchyard cost mix` compares. */
export type RoutingPolicy = 'all-premium' | 'half-and-half' | 'cheap-first' | 'cascade';

/** Display names of the policies, in table order. */
export const ROUTING_POLICY_LABELS: Readonly<Record<RoutingPolicy, string>> = Object.freeze({
  'all-premium': 'all premium',
  'half-and-half': 'half and half',
  'cheap-first': 'cheap-first, no validation',
  cascade: 'cheap-first + validation (cascade)',
});

/** One policy's cost and quality at one premium share. */
export interface PolicyCost {
  /** The policy. */
  policy: RoutingPolicy;
  /** Monthly cost relative to sending everything to the cheap model (= 1). */
  relativeCost: FixedDecimal;
  /** `(1 − relativeCost / ratio) × 100`: the saving against all premium, in percent (negative: dearer). */
  savingPercent: FixedDecimal;
  /** Share of all requests that get a bad answer delivered (0–1). */
  badAnswerShare: FixedDecimal;
}

/** The policies at one premium share. */
export interface MixRow {
  /** Fraction of requests that truly need the premium model (0–1). */
  premiumShare: FixedDecimal;
  /** One entry per policy, in the order of {@link ROUTING_POLICY_LABELS}. */
  policies: PolicyCost[];
}

/** Input of {@link computeMixRows}. */
export interface MixRowsOptions {
  /** Premium price ÷ cheap price (exact decimal, at least 1). */
  ratio: FixedDecimal;
  /** Premium shares p, one row each (exact decimals in 0–1). */
  premiumShares: readonly FixedDecimal[];
}

/**
 * Relative monthly cost of routing policies, the cheap model costing 1 per request and the premium
 * one `ratio`; p is the share of requests only the premium model answers well:
 *
 * - all premium: `ratio`; no bad answers.
 * - half and half (a random half to each): `(ratio + 1) / 2`; the hard requests sent cheap, `p / 2`, are answered badly.
 * - cheap-first, no validation: `1`; the `p` hard requests are answered badly and delivered.
 * - cheap-first + validation (cascade): `1 + p × ratio`: every request pays the cheap attempt, the `p`
 *   escalated ones pay premium too; no bad answers (assuming the validator catches them).
 *
 * @example computeMixRows({ ratio: 8n * FIXED_ONE, premiumShares: [FIXED_ONE / 5n] }) // cascade 2.6, half 4.5
 */
export function computeMixRows(options: MixRowsOptions): MixRow[] {
  const { ratio } = options;
  return options.premiumShares.map((premiumShare) => {
    const policy = (entry: Omit<PolicyCost, 'savingPercent'>): PolicyCost => ({
      ...entry,
      savingPercent: multiplyFixed(FIXED_ONE - divideFixed(entry.relativeCost, ratio), 100n * FIXED_ONE),
    });
    return {
      premiumShare,
      policies: [
        policy({ policy: 'all-premium', relativeCost: ratio, badAnswerShare: 0n }),
        policy({
          policy: 'half-and-half',
          relativeCost: divideFixed(ratio + FIXED_ONE, 2n * FIXED_ONE),
          badAnswerShare: divideFixed(premiumShare, 2n * FIXED_ONE),
        }),
        policy({ policy: 'cheap-first', relativeCost: FIXED_ONE, badAnswerShare: premiumShare }),
        policy({
          policy: 'cascade',
          relativeCost: FIXED_ONE + multiplyFixed(premiumShare, ratio),
          badAnswerShare: 0n,
        }),
      ],
    };
  });
}
