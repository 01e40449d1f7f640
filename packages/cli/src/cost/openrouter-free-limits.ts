/** OpenRouter's request limits on free model variants (`:free` ids). */
export interface OpenRouterFreeLimits {
  /** Free-model requests per day without purchased credits. */
  requestsPerDayWithoutCredits: number;
  /** Free-model requests per day once at least `creditsForHigherLimitUsd` of credits were bought. */
  requestsPerDayWithCredits: number;
  /** Credits (USD) one must have bought to get `requestsPerDayWithCredits`. */
  creditsForHigherLimitUsd: number;
  /** Free-model requests per minute, whatever the credits. */
  requestsPerMinute: number;
}

/**
 * The limits as OpenRouter's public pages state them (see ../shared/docs/openrouter-wire.md,
 * "Limits and fees"): 20 requests a minute; 50 free-model requests a day, or 1,000 a day once at
 * least $10 of credits were bought. Failed attempts can count against them.
 */
export const OPENROUTER_FREE_LIMITS: Readonly<OpenRouterFreeLimits> = Object.freeze({
  requestsPerDayWithoutCredits: 50,
  requestsPerDayWithCredits: 1000,
  creditsForHigherLimitUsd: 10,
  requestsPerMinute: 20,
});
