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
 * reported figure is kept beside it and flagged when they differ beyond the tolerance. An unpriced
 * model is charged its reported cost, capped by `maxReported` (an absurd figure is flagged, never
 * trusted blindly). With no usage, `estimatePromptTokens` charges that many prompt tokens (an
 * upstream that read the prompt before an abort bills it). The provider's fee comes on top.
 */
export function priceAttempt(input: {
  pricing: ModelPricing | undefined;
  provider: string;
  usage: UsageReport | undefined;
  estimatePromptTokens: number | undefined;
  check: CostCheck;
  fees: FeeSchedule;
}): AttemptCost {
  const { pricing, usage, check } = input;
  let tokenCost: Picodollars = 0n;
  let reported: Picodollars | undefined;
  let mismatch = false;
  let estimated = false;
  if (usage !== undefined) {
    reported = usage.reportedCost === undefined ? undefined : usdFromNumber(usage.reportedCost);
    if (pricing !== undefined) {
      tokenCost = usageCost(pricing, usage);
      if (reported !== undefined) mismatch = differs(reported, tokenCost, check.tolerance);
    } else if (reported !== undefined) {
      mismatch = reported > check.maxReported;
      tokenCost = mismatch ? check.maxReported : reported;
    }
  } else if (input.estimatePromptTokens !== undefined && pricing !== undefined) {
    tokenCost = estimateCost(pricing, { promptTokens: input.estimatePromptTokens, completionTokens: 0 });
    estimated = true;
  }
  const fee = input.fees.charge({ provider: input.provider, tokenCost });
  return { tokenCost, fee, reported, mismatch, estimated };
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
}
