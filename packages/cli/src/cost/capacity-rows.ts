import { FIXED_ONE, type FixedDecimal } from '../fixed-decimal.js';
import { OPENROUTER_FREE_LIMITS, type OpenRouterFreeLimits } from './openrouter-free-limits.js';

const MINUTES_PER_DAY = 1440;

/** How a day's requests compare with one daily free tier. */
export interface TierFit {
  /** `free`: no credits; `credits`: after buying the minimum credits. */
  tier: 'free' | 'credits';
  /** The tier's requests per day. */
  limitPerDay: number;
  /** Whether the day's requests stay within the limit. */
  fits: boolean;
  /** Requests beyond the limit (0 when it fits). */
  overBy: number;
}

/** Which option serves a day's requests: the free tier, the tier unlocked by credits, or paid models. */
export type CapacityVerdict = 'free' | 'credits' | 'paid';

/** One line of `switchyard cost capacity`. */
export interface CapacityRow {
  /** Daily active users. */
  dailyActiveUsers: number;
  /** `dailyActiveUsers × callsPerUser`, rounded up to whole requests. */
  requestsPerDay: number;
  /** The fit against each daily tier. */
  tiers: TierFit[];
  /** The cheapest option that fits the daily volume. */
  verdict: CapacityVerdict;
  /** `requestsPerDay / 1440`. */
  averagePerMinute: number;
  /** `averagePerMinute × peakFactor`. */
  peakPerMinute: number;
  /** Whether the peak passes the free models' per-minute limit. */
  peakOverMinuteLimit: boolean;
}

/** Input of {@link computeCapacityRows}. */
export interface CapacityRowsOptions {
  /** Daily active users, one row each. */
  dailyActiveUsers: readonly number[];
  /** Model calls per user per day (exact decimal). */
  callsPerUser: FixedDecimal;
  /** Busiest minute as a multiple of the average minute (exact decimal). */
  peakFactor: FixedDecimal;
  /**
   * The limits to check against.
   * @default OPENROUTER_FREE_LIMITS
   */
  limits?: Readonly<OpenRouterFreeLimits>;
}

/**
 * Requests per day for each number of daily active users, against OpenRouter's free-model tiers.
 *
 * @example computeCapacityRows({ dailyActiveUsers: [100], callsPerUser: 5n * FIXED_ONE, peakFactor: 10n * FIXED_ONE })
 * // 500 requests/day: over the 50/day tier by 450, fits 1,000/day → verdict 'credits'
 */
export function computeCapacityRows(options: CapacityRowsOptions): CapacityRow[] {
  const limits = options.limits ?? OPENROUTER_FREE_LIMITS;
  return options.dailyActiveUsers.map((dailyActiveUsers) => {
    const exactRequests = BigInt(dailyActiveUsers) * options.callsPerUser;
    const requestsPerDay = Number((exactRequests + FIXED_ONE - 1n) / FIXED_ONE);
    const tiers = [
      tierFit({ tier: 'free', limitPerDay: limits.requestsPerDayWithoutCredits, requestsPerDay }),
      tierFit({ tier: 'credits', limitPerDay: limits.requestsPerDayWithCredits, requestsPerDay }),
    ];
    const verdict: CapacityVerdict = tiers[0]?.fits ? 'free' : tiers[1]?.fits ? 'credits' : 'paid';
    const averagePerMinute = requestsPerDay / MINUTES_PER_DAY;
    const peakFactor = Number(options.peakFactor) / Number(FIXED_ONE);
    // Exact comparison: requestsPerDay × peakFactor > limit × 1440.
    const peakOverMinuteLimit =
      BigInt(requestsPerDay) * options.peakFactor >
      BigInt(limits.requestsPerMinute * MINUTES_PER_DAY) * FIXED_ONE;
    return {
      dailyActiveUsers,
      requestsPerDay,
      tiers,
      verdict,
      averagePerMinute,
      peakPerMinute: averagePerMinute * peakFactor,
      peakOverMinuteLimit,
    };
  });
}

function tierFit(input: { tier: TierFit['tier']; limitPerDay: number; requestsPerDay: number }): TierFit {
  const overBy = Math.max(0, input.requestsPerDay - input.limitPerDay);
  return { tier: input.tier, limitPerDay: input.limitPerDay, fits: overBy === 0, overBy };
}

/**
 * The verdict in words, with the tier's numbers.
 * @example describeCapacityVerdict({ verdict: 'credits' }) // 'needs $10 of credits (1,000/day)'
 */
export function describeCapacityVerdict(input: {
  verdict: CapacityVerdict;
  limits?: Readonly<OpenRouterFreeLimits>;
}): string {
  const limits = input.limits ?? OPENROUTER_FREE_LIMITS;
  if (input.verdict === 'free') {
    return `free tier (${limits.requestsPerDayWithoutCredits.toLocaleString('en-US')}/day) is enough`;
  }
  if (input.verdict === 'credits') {
    return `needs $${limits.creditsForHigherLimitUsd} of credits (${limits.requestsPerDayWithCredits.toLocaleString('en-US')}/day)`;
  }
  return 'beyond free limits: use paid models';
}
