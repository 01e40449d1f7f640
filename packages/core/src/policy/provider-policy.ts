/** How OpenRouter sorts the providers of a model (`provider.sort`). */
export type ProviderSort =
  | 'price'
  | 'throughput'
  | 'latency'
  | 'exacto'
  | { by?: 'price' | 'throughput' | 'latency' | 'exacto'; partition?: 'model' | 'none' };

/** Quantization levels OpenRouter filters providers by (`provider.quantizations`). */
export const QUANTIZATIONS = [
  'int4',
  'int8',
  'fp4',
  'mxfp4',
  'nvfp4',
  'fp6',
  'fp8',
  'mxfp8',
  'fp16',
  'bf16',
  'fp32',
  'unknown',
] as const;

/** One of {@link QUANTIZATIONS}. */
export type Quantization = (typeof QUANTIZATIONS)[number];

/** The prices a request may pay at most, in USD per million tokens (`prompt`, `completion`) or per unit. */
export interface MaxPrice {
  prompt?: string;
  completion?: string;
  request?: string;
  image?: string;
  audio?: string;
}

/**
 * Provider preferences: OpenRouter's `provider` object (its `ProviderPreferences` schema), as a
 * route, an alias or a gateway key states it in config (`providerPolicy`), and as a request sends
 * it. Every field is optional.
 * @example { data_collection: 'deny', zdr: true, ignore: ['deepinfra'] }
 */
export interface ProviderPolicy {
  /** Provider slugs to try first, in this order (a preference: the most specific layer wins). */
  order?: string[];
  /** Provider slugs that alone may serve (lists of several layers intersect). */
  only?: string[];
  /** Provider slugs that may never serve (lists of several layers unite). */
  ignore?: string[];
  /**
   * Whether another provider (OpenRouter's) or another target (Switchyard's) may serve when the
   * first fails; `false` in any layer wins.
   * @default true
   */
  allow_fallbacks?: boolean;
  /** How OpenRouter sorts providers (a preference: the most specific layer wins). */
  sort?: ProviderSort;
  /** `deny`: only providers that do not store or train on prompts; `deny` in any layer wins. */
  data_collection?: 'deny' | 'allow';
  /** Only zero-data-retention endpoints; `true` in any layer wins. */
  zdr?: boolean;
  /** Only providers that support every parameter of the request; `true` in any layer wins. */
  require_parameters?: boolean;
  /** Quantization levels allowed (lists of several layers intersect). */
  quantizations?: Quantization[];
  /** The most the request may pay (each price: the lowest of the layers). Decimal strings. */
  max_price?: MaxPrice;
}

/** The fields {@link mergePolicies} knows; any other field of a request's `provider` passes through. */
export const POLICY_FIELDS = [
  'order',
  'only',
  'ignore',
  'allow_fallbacks',
  'sort',
  'data_collection',
  'zdr',
  'require_parameters',
  'quantizations',
  'max_price',
] as const;
