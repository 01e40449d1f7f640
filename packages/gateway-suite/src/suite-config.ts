import type { SwitchyardConfig } from '@switchyard/core';

/** Provider keys the suite configures; no response body, header or log line may contain one. */
export const PROVIDER_KEYS = {
  alpha: 'sk-or-v1-suite-alpha-4f1c9a7e2b3d',
  beta: 'sk-or-v1-suite-beta-8e2d6c0a9f1b',
} as const;

/** Gateway keys the suite's clients send (logs may name them, never show them). */
export const GATEWAY_KEYS = {
  /** All routes, a $5 daily budget. */
  main: 'sk-sy-suite-main-0a1b2c3d',
  /** May only use the `cheap` alias. */
  narrow: 'sk-sy-suite-narrow-4e5f6a7b',
  /** A $0.01 daily budget, to be spent. */
  poor: 'sk-sy-suite-poor-8c9d0e1f',
  /** One request a minute. */
  limited: 'sk-sy-suite-limited-2a3b4c5d',
  /** Another tenant, to show that cached answers stay with their key. */
  other: 'sk-sy-suite-other-6e7f8a9b',
  /** A $0.01 daily budget, to be spent on embeddings. */
  frugal: 'sk-sy-suite-frugal-3c4d5e6f',
  /** A provider policy of its own: `data_collection: deny`, `only: [openai, anthropic]`. */
  private: 'sk-sy-suite-private-7a8b9c0d',
  /** Tagged `pro`, for conditional routing. */
  pro: 'sk-sy-suite-pro-1e2f3a4b',
} as const;

/** The browser origin the suite's `cors` section lists; any other is refused. */
export const ALLOWED_ORIGIN = 'https://app.example.com';

/**
 * The request shape and server limits the suite configures, small so that hostile-input tests are
 * fast: a slowloris is cut after `headersTimeoutMs`, a slow body after `requestTimeoutMs`.
 */
export const SUITE_LIMITS = {
  requestLimits: { maxDepth: 32, maxMessages: 100 },
  server: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 },
} as const;

/** Model ids of the mock's catalog the suite routes to. */
export const MODELS = {
  cheap: 'meta-llama/llama-3.3-70b-instruct',
  fast: 'openai/gpt-4o-mini',
  premium: 'anthropic/claude-sonnet-4.6',
  embedSmall: 'openai/text-embedding-3-small',
  embedLarge: 'openai/text-embedding-3-large',
} as const;

/** USD per input token of the suite's embedding aliases. */
export const EMBEDDING_PRICES = { small: '0.00000002', large: '0.00000013' } as const;

/** Aliases at the `openrouter` provider, which understands provider policies. */
const POLICY_MODELS: NonNullable<SwitchyardConfig['models']> = {
  'or-fast': {
    provider: 'openrouter',
    model: MODELS.fast,
    pricing: { prompt: '0.00000015', completion: '0.0000006' },
  },
  'or-premium': {
    provider: 'openrouter',
    model: MODELS.premium,
    pricing: { prompt: '0.000003', completion: '0.000015' },
  },
};

/**
 * Routes of the provider-policy and conditional-routing tests: `private` (a data policy, OpenRouter
 * targets), `zdr` (zero data retention: the plain `cheap` cannot promise it), `pinned`
 * (`allow_fallbacks: false`) and `tiered` (conditional: tools, the `pro` tag, an `x-tier` header).
 */
const POLICY_ROUTES: NonNullable<SwitchyardConfig['routes']> = {
  private: {
    strategy: 'fallback',
    targets: ['or-fast', 'or-premium'],
    providerPolicy: { data_collection: 'deny', ignore: ['deepinfra'] },
  },
  zdr: { strategy: 'fallback', targets: ['cheap', 'or-fast'], providerPolicy: { zdr: true } },
  pinned: { strategy: 'fallback', targets: ['premium', 'cheap'], providerPolicy: { allow_fallbacks: false } },
  tiered: {
    strategy: 'conditional',
    rules: [
      { when: { 'request.tools': true }, target: 'fast' },
      { when: { 'caller.tags': 'pro' }, target: 'premium' },
      { when: { 'header.x-tier': { $in: ['gold', 'platinum'] } }, target: 'premium' },
    ],
    default: 'cheap',
  },
};

/**
 * The configuration every gateway under test runs: two providers at the mock (`alpha` with
 * OpenRouter's 5.5% fee, `beta`), routes `default` (fallback premium → cheap, across providers),
 * `smart` (cascade cheap → premium, JSON required), `thrifty` (cheapest), `faq` (`fast`, its
 * answers cached for 10 minutes), `embed` (embeddings, fallback large → small, across providers)
 * `hybrid` (a chat model, then an embedding one), and the policy routes of `POLICY_ROUTES` (with an
`openrouter` provider that understands provider policies), an alias named like the upstream's id
 * (`openai/gpt-4o-mini`), eight keys, CORS for {@link ALLOWED_ORIGIN} with credentials, the small
 * {@link SUITE_LIMITS}, no breaker (tests fail targets on purpose) and short retries.
 */
export function buildSuiteConfig(mockUrl: string): SwitchyardConfig {
  return {
    providers: {
      alpha: { baseURL: mockUrl, apiKey: PROVIDER_KEYS.alpha, fee: { percent: '5.5' } },
      beta: { baseURL: mockUrl, apiKey: PROVIDER_KEYS.beta },
      // Speaks OpenRouter's `provider` object (the mock stands in for openrouter.ai).
      openrouter: { baseURL: mockUrl, apiKey: PROVIDER_KEYS.alpha, providerPreferences: true },
    },
    models: {
      ...POLICY_MODELS,
      cheap: {
        provider: 'alpha',
        model: MODELS.cheap,
        pricing: { prompt: '0.0000001', completion: '0.00000032' },
      },
      fast: {
        provider: 'beta',
        model: MODELS.fast,
        pricing: { prompt: '0.00000015', completion: '0.0000006' },
      },
      premium: {
        provider: 'beta',
        model: MODELS.premium,
        pricing: { prompt: '0.000003', completion: '0.000015' },
      },
      [MODELS.fast]: {
        provider: 'beta',
        model: MODELS.fast,
        pricing: { prompt: '0.00000015', completion: '0.0000006' },
      },
      'embed-small': {
        provider: 'alpha',
        model: MODELS.embedSmall,
        type: 'embedding',
        pricing: { prompt: EMBEDDING_PRICES.small },
      },
      'embed-large': {
        provider: 'beta',
        model: MODELS.embedLarge,
        type: 'embedding',
        pricing: { prompt: EMBEDDING_PRICES.large },
      },
    },
    routes: {
      default: { strategy: 'fallback', targets: ['premium', 'cheap'] },
      smart: { strategy: 'cascade', targets: ['cheap', 'premium'], validate: { json: true } },
      thrifty: { strategy: 'cheapest', targets: ['premium', 'fast', 'cheap'] },
      embed: { strategy: 'fallback', targets: ['embed-large', 'embed-small'] },
      hybrid: { strategy: 'fallback', targets: ['cheap', 'embed-small'] },
      faq: { strategy: 'fallback', targets: ['fast'], cache: { ttlSeconds: 600 } },
      ...POLICY_ROUTES,
    },
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 },
    timeouts: { attemptMs: 10_000, totalMs: 20_000, stallMs: 10_000 },
    breaker: false,
    limits: [{ scope: 'key', match: 'limited', rpm: 1 }],
    cors: { origins: [ALLOWED_ORIGIN], credentials: true, maxAgeSeconds: 600 },
    requestLimits: { ...SUITE_LIMITS.requestLimits },
    server: { ...SUITE_LIMITS.server },
    keys: [
      { name: 'main', key: GATEWAY_KEYS.main, budget: { usd: '5', period: 'day' } },
      { name: 'narrow', key: GATEWAY_KEYS.narrow, routes: ['cheap'] },
      { name: 'poor', key: GATEWAY_KEYS.poor, budget: { usd: '0.01', period: 'day' } },
      { name: 'limited', key: GATEWAY_KEYS.limited },
      { name: 'other', key: GATEWAY_KEYS.other },
      { name: 'frugal', key: GATEWAY_KEYS.frugal, budget: { usd: '0.01', period: 'day' } },
      {
        name: 'private',
        key: GATEWAY_KEYS.private,
        providerPolicy: { data_collection: 'deny', only: ['openai', 'anthropic'] },
      },
      { name: 'pro', key: GATEWAY_KEYS.pro, tags: ['pro'] },
    ],
  };
}
