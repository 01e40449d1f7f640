import { divideFixed, FIXED_ONE, type FixedDecimal, multiplyFixed } from '../fixed-decimal.js';

/** The routing policies `switchyard cost mix` compares: the rows of the article's table, in order. */
export type RoutingPolicy = 'everything-premium' | 'half-premium' | 'cheap-first' | 'cheap-first-validation';

/** The policies in table order, which is also the order of `--premium-share`. */
export const ROUTING_POLICIES: readonly RoutingPolicy[] = Object.freeze([
  'everything-premium',
  'half-premium',
  'cheap-first',
  'cheap-first-validation',
]);

/** Display names of the policies: the article's row names. */
export const ROUTING_POLICY_LABELS: Readonly<Record<RoutingPolicy, string>> = Object.freeze({
  'everything-premium': 'everything premium',
  'half-premium': 'half premium',
  'cheap-first': 'cheap-first',
  'cheap-first-validation': 'cheap-first plus validation',
});

/** Policies that send every request to the cheap model first and escalate some to premium. */
const TRIES_CHEAP_FIRST: ReadonlySet<RoutingPolicy> = new Set(['cheap-first', 'cheap-first-validation']);

/** One policy's relative cost. */
export interface MixRow {
  /** The policy. */
  policy: RoutingPolicy;
  /** Fraction of requests that end up on the premium model under this policy (0–1). */
  premiumShare: FixedDecimal;
  /**
   * Cost per request relative to the cheap model (= 1): `share × ratio + (1 − share)`, the
   * article's figure. For a cheap-first policy it counts only the premium call of an escalated
   * request, as if the cheap attempt had cost nothing.
   */
  relativeCost: FixedDecimal;
  /** `(1 − relativeCost / ratio) × 100`: the saving against everything premium, in percent. */
  savingPercent: FixedDecimal;
  /**
   * What a cheap-first policy really costs when an escalated request also paid for its cheap
   * attempt: `1 + share × ratio`. Undefined for policies that send requests straight to their model.
   */
  relativeCostWithCheapAttempt: FixedDecimal | undefined;
}

/** Input of {@link computeMixRows}. */
export interface MixRowsOptions {
  /** Premium price ÷ cheap price per request (exact decimal, at least 1). */
  ratio: FixedDecimal;
  /** Each policy's premium share (exact decimals in 0–1). */
  premiumShares: Readonly<Record<RoutingPolicy, FixedDecimal>>;
}

/**
 * Relative cost of routing policies, the cheap model costing 1 per request and the premium one
 * `ratio`, where each policy's share is the fraction of requests that end up on the premium model:
 * `share × ratio + (1 − share)` (the article's table). Cheap-first policies also get the cost when
 * escalated requests paid their cheap attempt too, `1 + share × ratio`.
 *
 * @example
 * computeMixRows({
 *   ratio: 8n * FIXED_ONE,
 *   premiumShares: {
 *     'everything-premium': FIXED_ONE,
 *     'half-premium': FIXED_ONE / 2n,
 *     'cheap-first': FIXED_ONE / 5n,
 *     'cheap-first-validation': FIXED_ONE / 10n,
 *   },
 * }); // relative costs 8, 4.5, 2.4, 1.7; with the cheap attempt paid: 2.6 and 1.8
 */
export function computeMixRows(options: MixRowsOptions): MixRow[] {
  const { ratio } = options;
  return ROUTING_POLICIES.map((policy) => {
    const premiumShare = options.premiumShares[policy];
    const premiumPart = multiplyFixed(premiumShare, ratio);
    const relativeCost = premiumPart + (FIXED_ONE - premiumShare);
    return {
      policy,
      premiumShare,
      relativeCost,
      savingPercent: multiplyFixed(FIXED_ONE - divideFixed(relativeCost, ratio), 100n * FIXED_ONE),
      relativeCostWithCheapAttempt: TRIES_CHEAP_FIRST.has(policy) ? FIXED_ONE + premiumPart : undefined,
    };
  });
}
