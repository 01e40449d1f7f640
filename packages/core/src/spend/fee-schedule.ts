import type { ProviderConfig } from '../config/config-types.js';
import { type Picodollars, percentOf } from '../pricing/money.js';
import { periodWindow } from './budget-period.js';

/** Platform fees per provider, as configured (fees are configuration, never constants). */
export interface FeeSchedule {
  /** The fee on an attempt's token cost at a provider; counts the attempt against a BYOK allowance. */
  charge(options: { provider: string; tokenCost: Picodollars }): Picodollars;
  /** The fee a worst-case estimate must include (the allowance is not consumed). */
  estimate(options: { provider: string; tokenCost: Picodollars }): Picodollars;
}

/** Creates a {@link FeeSchedule} from the providers' `fee` sections. */
export function createFeeSchedule(options: {
  providers: Readonly<Record<string, ProviderConfig>>;
  now: () => number;
}): FeeSchedule {
  const used = new Map<string, { month: number; requests: number }>();
  const feeOf = (provider: string) => options.providers[provider]?.fee;
  return {
    charge({ provider, tokenCost }) {
      const fee = feeOf(provider);
      if (fee === undefined) return 0n;
      if (fee.freeRequestsPerMonth !== undefined) {
        const month = periodWindow('month', options.now()).start;
        let counter = used.get(provider);
        if (counter === undefined || counter.month !== month) {
          counter = { month, requests: 0 };
          used.set(provider, counter);
        }
        counter.requests += 1;
        if (counter.requests <= fee.freeRequestsPerMonth) return 0n;
      }
      return percentOf(tokenCost, fee.percent);
    },
    estimate({ provider, tokenCost }) {
      const fee = feeOf(provider);
      return fee === undefined ? 0n : percentOf(tokenCost, fee.percent);
    },
  };
}
