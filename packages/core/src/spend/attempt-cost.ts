import { estimateCost, type ModelPricing, usageCost } from '../pricing/model-pricing.js';
import { formatUsd, type Picodollars, usdFromNumber } from '../pricing/money.js';
import type { AttemptTrace, UsageReport } from '../trace/routing-trace.js';
import type { ChatResponse } from '../types/chat.js';
import type { FeeSchedule } from './fee-schedule.js';

/** How reported costs are checked against computed ones. */
export interface CostCheck {
  /** Relative tolerance of reported vs computed cost. */
  readonly tolerance: number;
  /** The cap on a reported cost that cannot be verified (an unpriced model). */
  readonly maxReported: Picodollars;
}

/**
 * What an attempt's cost rests on:
 * - `sent_model`: the prices of the model sent;
 * - `served_model`: the prices of another model the upstream served instead (it bills what ran);
 * - `served_unknown`: the upstream served a model with no known price: the larger of the sent
 *   model's figure and the reported cost (capped);
 * - `reported`: the upstream's reported cost (capped), for a model with no price;
 * - `estimate`: no usage came; the prompt and the completion tokens streamed, by the tokenizer;
 * - `none`: nothing to price it with (no price, no report), so 0.
 */
export type CostBasis = 'sent_model' | 'served_model' | 'served_unknown' | 'reported' | 'estimate' | 'none';

/** What one attempt cost. */
export interface AttemptCost {
  /** Token cost from prices (or the reported cost, capped, for an unpriced model). */
  readonly tokenCost: Picodollars;
  /** The provider's platform fee on the token cost. */
  readonly fee: Picodollars;
  /** The upstream's own figure, when it reported one. */
  readonly reported: Picodollars | undefined;
  /** Reported and computed costs differ beyond the tolerance, or the reported one was implausible. */
  readonly mismatch: boolean;
  /** The cost is an estimate: no usage was reported. */
  readonly estimated: boolean;
  /** What the cost rests on. */
  readonly basis: CostBasis;
  /** For `served_model`: the token cost the sent model's prices give, for comparison. */
  readonly sentModelTokenCost: Picodollars | undefined;
}

/** A token count as reported: a non-negative integer, else 0 (a malformed count never breaks pricing). */
function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0;
}

/** Reads OpenAI/OpenRouter usage into a {@link UsageReport}. */
export function readUsage(usage: ChatResponse['usage'] | null | undefined): UsageReport | undefined {
  if (usage === undefined || usage === null) return undefined;
  const reported = usage.cost;
  const promptTokens = tokenCount(usage.prompt_tokens);
  const completionTokens = tokenCount(usage.completion_tokens);
  const promptDetails = usage.prompt_tokens_details as
    | { cached_tokens?: unknown; cache_write_tokens?: unknown }
    | null
    | undefined;
  return {
    promptTokens,
    completionTokens,
    totalTokens:
      usage.total_tokens === undefined ? promptTokens + completionTokens : tokenCount(usage.total_tokens),
    cachedTokens: tokenCount(promptDetails?.cached_tokens),
    cacheWriteTokens: tokenCount(promptDetails?.cache_write_tokens),
    reasoningTokens: tokenCount(usage.completion_tokens_details?.reasoning_tokens),
    reportedCost:
      typeof reported === 'number' && Number.isFinite(reported) && reported >= 0 ? reported : undefined,
  };
}

/**
 * Prices one attempt. The token cost comes from the usage and the target's prices; the upstream's
 * reported figure is kept beside it and flagged when they differ beyond the tolerance. When the
 * upstream served another model (`served`), the attempt is priced at that model's prices if they
 * are known, else at the larger of the sent model's figure and the reported cost. An unpriced
 * model is charged its reported cost, capped by `maxReported` (an absurd figure is flagged, never
 * trusted blindly). With no usage, `estimatePromptTokens` charges that many prompt tokens (an
 * upstream that read the prompt before an abort bills it) and `estimateCompletionTokens` the
 * completion tokens it had already streamed. The provider's fee comes on top.
 */
export function priceAttempt(input: {
  pricing: ModelPricing | undefined;
  provider: string;
  usage: UsageReport | undefined;
  estimatePromptTokens: number | undefined;
  /** Completion tokens already streamed when the usage never came (a broken stream). */
  estimateCompletionTokens?: number;
  /** Set when the upstream served another model than the one sent: that model's prices, if known. */
  served?: { pricing: ModelPricing | undefined };
  /** The most an unpriced attempt is settled at: its declared worst case (`unpriced.worstCaseUsd`). */
  unpricedCap?: Picodollars;
  check: CostCheck;
  fees: FeeSchedule;
}): AttemptCost {
  const { usage, check, served } = input;
  let tokenCost: Picodollars = 0n;
  let reported: Picodollars | undefined;
  let mismatch = false;
  let basis: CostBasis = 'none';
  let sentModelTokenCost: Picodollars | undefined;
  const pricing = served?.pricing ?? input.pricing;
  if (usage !== undefined) {
    reported = usage.reportedCost === undefined ? undefined : usdFromNumber(usage.reportedCost);
    const plausible = reported === undefined || reported <= check.maxReported ? reported : check.maxReported;
    if (pricing !== undefined) {
      tokenCost = usageCost(pricing, usage);
      basis = served?.pricing === undefined ? 'sent_model' : 'served_model';
      if (served?.pricing !== undefined && input.pricing !== undefined)
        sentModelTokenCost = usageCost(input.pricing, usage);
      if (reported !== undefined) mismatch = differs(reported, tokenCost, check.tolerance);
      if (served !== undefined && served.pricing === undefined) {
        basis = 'served_unknown';
        if (plausible !== undefined && plausible > tokenCost) tokenCost = plausible;
        if (reported !== undefined && reported > check.maxReported) mismatch = true;
      }
    } else if (reported !== undefined && plausible !== undefined) {
      const cap =
        input.unpricedCap !== undefined && input.unpricedCap < plausible ? input.unpricedCap : plausible;
      mismatch = reported > cap;
      tokenCost = cap;
      basis = served === undefined ? 'reported' : 'served_unknown';
    }
  } else if (input.estimatePromptTokens !== undefined && pricing !== undefined) {
    tokenCost = estimateCost(pricing, {
      promptTokens: input.estimatePromptTokens,
      completionTokens: input.estimateCompletionTokens ?? 0,
    });
    basis = 'estimate';
  }
  const fee = input.fees.charge({ provider: input.provider, tokenCost });
  return { tokenCost, fee, reported, mismatch, estimated: basis === 'estimate', basis, sentModelTokenCost };
}

/** True when two amounts differ by more than `tolerance` relative to the computed one. */
export function differs(reported: Picodollars, computed: Picodollars, tolerance: number): boolean {
  const difference = reported > computed ? reported - computed : computed - reported;
  if (computed === 0n) return difference > 0n;
  // Compare difference / computed > tolerance in integers (tolerance kept to 1e-6).
  return difference * 1_000_000n > computed * BigInt(Math.round(tolerance * 1_000_000));
}

/** Writes an attempt's cost into its trace record as exact USD decimal strings. */
export function recordCost(record: AttemptTrace, cost: AttemptCost): void {
  if (cost.reported !== undefined) record.reportedCostUsd = formatUsd(cost.reported);
  record.costMismatch = cost.mismatch;
  record.costEstimated = cost.estimated;
  record.tokenCostUsd = formatUsd(cost.tokenCost);
  record.feeUsd = cost.fee === 0n ? '0' : formatUsd(cost.fee);
  record.costUsd = cost.fee === 0n ? record.tokenCostUsd : formatUsd(cost.tokenCost + cost.fee);
  record.costBasis = cost.basis;
  record.sentModelCostUsd =
    cost.sentModelTokenCost === undefined ? undefined : formatUsd(cost.sentModelTokenCost);
}
