import type { ResponseCache } from '../cache/response-cache.js';
import type { Clock, Random } from '../clock.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { ModelPricing } from '../pricing/model-pricing.js';
import type { FeeSchedule } from '../spend/fee-schedule.js';
import type { SpendLedger } from '../spend/spend-ledger.js';
import type { SpendPolicy } from '../spend/spend-policy.js';
import type { RouterTelemetry } from '../telemetry/router-telemetry.js';
import type { DeadlineScheduler } from '../transport/deadline-scheduler.js';
import type { Transport } from '../transport/transport.js';
import type { RouterHooks } from './router-hooks.js';

/**
 * What every request of one router shares: the resolved configuration's settings (retry,
 * timeouts, outcome actions, cost check) and the wired dependencies. Built once by `createRouter`.
 */
export interface RouterSettings
  extends Pick<ResolvedConfig, 'retry' | 'timeouts' | 'actions' | 'costCheck' | 'upstreamLimits'> {
  readonly transport: Transport;
  /** Runs attempt timeouts and deadlines on one timer of the clock. */
  readonly scheduler: DeadlineScheduler;
  readonly clock: Clock;
  readonly random: Random;
  /** The hooks given to `createRouter` and those added by `router.observe`, told in that order. */
  readonly hooks: RouterHooks;
  /** Spans and GenAI instruments (no-ops unless an OpenTelemetry SDK is registered). */
  readonly telemetry: RouterTelemetry;
  /** Every configured API key, scrubbed from messages. */
  readonly secrets: readonly string[];
  readonly spend: SpendPolicy;
  readonly fees: FeeSchedule;
  readonly ledger: SpendLedger;
  /** The prices of a model id, when known (the registry's `pricingOf`): to price what ran. */
  readonly pricingOf: (model: string) => ModelPricing | undefined;
  /** The answer cache; undefined when no route caches. */
  readonly cache: ResponseCache | undefined;
}
