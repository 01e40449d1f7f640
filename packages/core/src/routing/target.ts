import type { CircuitBreaker } from '../breaker/circuit-breaker.js';
import type { Capability, RequestRetryConfig, StrategyName } from '../config/config-types.js';
import type { ProviderPolicy } from '../policy/provider-policy.js';
import type { ModelPricing } from '../pricing/model-pricing.js';
import type { TransportEndpoint } from '../transport/transport.js';
import type { AnswerValidator } from '../validators/answer-validator.js';
import type { ConditionTest } from './conditions/compile-condition.js';
import type { LatencyEstimate } from './latency-estimate.js';
import type { ModelType } from './operation.js';

/** Health state shared by every alias that points at the same provider and model. */
export interface TargetHealth {
  /** `provider/model`. */
  readonly key: string;
  readonly breaker: CircuitBreaker | undefined;
  readonly latency: LatencyEstimate;
}

/** A concrete model at a provider: what one attempt calls. */
export interface ModelTarget {
  readonly kind: 'model';
  /** The alias, or the raw model id. */
  readonly name: string;
  readonly provider: string;
  readonly endpoint: TransportEndpoint;
  /** The model id sent upstream. */
  readonly model: string;
  readonly contextLength: number | undefined;
  readonly maxCompletionTokens: number | undefined;
  /** Undefined when no price is known. */
  readonly pricing: ModelPricing | undefined;
  /** The same prices as floats in USD per unit, for ranking only (never for money sums). */
  readonly rankPrices: { prompt: number; completion: number; request: number } | undefined;
  /** Undefined when unknown: then no capability filter applies. */
  readonly capabilities: ReadonlySet<Capability> | undefined;
  /** Chat-only or embedding-only; undefined when unknown: then it may serve either. */
  readonly type: ModelType | undefined;
  readonly health: TargetHealth;
  /** The alias's own provider policy (`models.<alias>.providerPolicy`), when it sets one. */
  readonly policy: ProviderPolicy | undefined;
  /** Whether its provider understands OpenRouter's `provider` object (`providerPreferences`). */
  readonly understandsPreferences: boolean;
}

/** A compiled rule of a `conditional` route. */
export interface CompiledRule {
  /** Its position in `rules`, from 0. */
  readonly index: number;
  readonly test: ConditionTest;
  readonly target: Target;
}

/** A route: targets and how to order them. */
export interface RouteTarget {
  readonly kind: 'route';
  readonly name: string;
  readonly strategy: StrategyName;
  readonly entries: ReadonlyArray<{ readonly target: Target; readonly weight: number }>;
  readonly validators: readonly AnswerValidator[];
  readonly hedgeAfterMs: number;
  /** The route's own retry budget (`routes.<name>.retry`), when it sets one. */
  readonly retry?: RequestRetryConfig;
  /** The route's provider policy (`routes.<name>.providerPolicy`), when it sets one. */
  readonly policy?: ProviderPolicy;
  /** `conditional` only: its rules in order, and the target when none holds. */
  readonly conditional?: { readonly rules: readonly CompiledRule[]; readonly otherwise: Target };
}

/** What a route entry points at: a model, or another route. */
export type Target = ModelTarget | RouteTarget;
