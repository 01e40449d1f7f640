import { z } from 'zod';
import { OUTCOME_CODES } from '../errors/outcome-codes.js';
import type { SwitchyardConfig } from './config-types.js';
import { decimalAmount } from './decimal-amount.js';
import { redisStoreSchema } from './store-config-schema.js';

// Money and percents: numbers (`5`, `0.25`) or decimal strings (`"0.00000012"`), always the exact
// decimal string afterwards.
const usdDecimal = decimalAmount({ what: 'a USD amount', example: '5 or "0.25"' });
const percentDecimal = decimalAmount({ what: 'a percent', example: '5.5 or "5.5"' });
const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const name = z.string().min(1, 'must not be empty');

const pricing = z.strictObject({
  prompt: usdDecimal.optional(),
  completion: usdDecimal.optional(),
  request: usdDecimal.optional(),
  image: usdDecimal.optional(),
  input_cache_read: usdDecimal.optional(),
  input_cache_write: usdDecimal.optional(),
  internal_reasoning: usdDecimal.optional(),
});

const unpriced = z.union(
  [z.literal('deny'), z.literal('allow'), z.strictObject({ worstCaseUsd: usdDecimal })],
  { error: 'must be "deny", "allow" or { worstCaseUsd: "<USD>" }' },
);

const provider = z.strictObject({
  baseURL: z
    .string()
    .refine(
      (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
      'must be an http(s) URL',
    ),
  apiKey: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  connections: positiveInt.optional(),
  fee: z
    .strictObject({
      percent: percentDecimal.refine((value) => Number(value) <= 100, 'must be a percent from 0 to 100'),
      freeRequestsPerMonth: nonNegativeInt.optional(),
    })
    .optional(),
  unpriced: unpriced.optional(),
});

const budget = z.strictObject({
  scope: z.enum(['global', 'key', 'user', 'route', 'tag', 'model']),
  match: z.string().min(1).optional(),
  usd: usdDecimal,
  period: z.enum(['minute', 'hour', 'day', 'month']),
  name: z.string().min(1).optional(),
});

const limit = z
  .strictObject({
    scope: z.enum(['provider', 'model', 'key']),
    match: z.string().min(1).optional(),
    rpm: positiveInt.optional(),
    rpd: positiveInt.optional(),
    rpdReset: z.enum(['utc-midnight', 'rolling']).optional(),
    tpm: positiveInt.optional(),
    name: z.string().min(1).optional(),
  })
  .refine(
    (value) => value.rpm !== undefined || value.rpd !== undefined || value.tpm !== undefined,
    'must set rpm, rpd or tpm',
  );

const model = z.strictObject({
  provider: name,
  model: name,
  pricing: pricing.optional(),
  contextLength: positiveInt.optional(),
  maxCompletionTokens: positiveInt.optional(),
  capabilities: z.array(z.enum(['tools', 'response_format', 'structured_outputs', 'vision'])).optional(),
  unpriced: unpriced.optional(),
  type: z.enum(['chat', 'embedding']).optional(),
});

const target = z.union([name, z.strictObject({ target: name, weight: z.number().positive().optional() })]);

const validate = z.strictObject({
  nonEmpty: z.boolean().optional(),
  json: z.boolean().optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
  refusal: z.boolean().optional(),
  expectedModel: z.boolean().optional(),
});

const routeCacheFields = {
  ttlSeconds: positiveInt.optional(),
  scope: z.enum(['key', 'global']).optional(),
  nondeterministic: z.boolean().optional(),
  countHitsInLimits: z.boolean().optional(),
  maxEntryBytes: positiveInt.optional(),
};
const cacheShape =
  '{ ttlSeconds, scope: "key" | "global", nondeterministic, countHitsInLimits, maxEntryBytes }';
const routeCache = z.union([z.literal(false), z.strictObject(routeCacheFields)], {
  error: `must be false or ${cacheShape}`,
});
const cache = z.union(
  [
    z.literal(false),
    z
      .strictObject({ ...routeCacheFields, maxBytes: positiveInt.optional() })
      .refine(
        (value) =>
          value.maxBytes === undefined ||
          value.maxEntryBytes === undefined ||
          value.maxEntryBytes <= value.maxBytes,
        { error: 'must not be larger than maxBytes', path: ['maxEntryBytes'] },
      ),
  ],
  { error: `must be false or ${cacheShape.replace(' }', ', maxBytes }')}` },
);

const route = z.strictObject({
  strategy: z.enum(['fallback', 'weighted', 'cheapest', 'fastest', 'cascade', 'hedge']),
  targets: z.array(target).min(1, 'must name at least one target'),
  validate: validate.optional(),
  hedgeAfterMs: nonNegativeInt.optional(),
  unpriced: unpriced.optional(),
  retry: z
    .strictObject({ rounds: positiveInt.optional(), maxRequestAttempts: positiveInt.optional() })
    .optional(),
  cache: routeCache.optional(),
});

const gatewayKey = z.strictObject({
  name: name,
  key: z.string().min(8, 'must be at least 8 characters'),
  routes: z.array(name).optional(),
  budget: z.strictObject({ usd: usdDecimal, period: z.enum(['minute', 'hour', 'day', 'month']) }).optional(),
});

// The walk that checks a body's nesting recurses once per level: keep it far from the stack's end.
const requestLimits = z.strictObject({
  maxDepth: positiveInt.max(1000).optional(),
  maxMessages: positiveInt.optional(),
  maxModels: positiveInt.optional(),
  maxNameLength: positiveInt.optional(),
  maxStringLength: positiveInt.optional(),
});

const serverLimits = z
  .strictObject({
    headersTimeoutMs: positiveInt.optional(),
    requestTimeoutMs: positiveInt.optional(),
    keepAliveTimeoutMs: positiveInt.optional(),
    maxConnections: positiveInt.optional(),
    maxConnectionsPerIp: positiveInt.optional(),
  })
  .refine(
    (value) =>
      value.headersTimeoutMs === undefined ||
      value.requestTimeoutMs === undefined ||
      value.headersTimeoutMs <= value.requestTimeoutMs,
    { error: 'must not be longer than requestTimeoutMs', path: ['headersTimeoutMs'] },
  );

const upstreamLimits = z.strictObject({
  maxAnswerBytes: positiveInt.optional(),
  maxStreamBytes: positiveInt.optional(),
  maxStreamMs: positiveInt.optional(),
  maxSseLineBytes: positiveInt.optional(),
});

/** The zod schema of {@link SwitchyardConfig}: shapes and types; cross-references are checked after it. */
export const configSchema: z.ZodType<SwitchyardConfig> = z.strictObject({
  providers: z
    .record(name, provider)
    .refine((providers) => Object.keys(providers).length > 0, 'must define at least one provider'),
  models: z.record(name, model).optional(),
  routes: z.record(name, route).optional(),
  defaultProvider: name.optional(),
  allowRawModels: z.boolean().optional(),
  retry: z
    .strictObject({
      maxAttempts: positiveInt.optional(),
      baseDelayMs: nonNegativeInt.optional(),
      maxDelayMs: nonNegativeInt.optional(),
      maxRetryAfterMs: nonNegativeInt.optional(),
      rounds: positiveInt.optional(),
      maxRequestAttempts: positiveInt.optional(),
    })
    .optional(),
  timeouts: z
    .strictObject({
      attemptMs: positiveInt.optional(),
      totalMs: positiveInt.optional(),
      stallMs: positiveInt.optional(),
    })
    .optional(),
  breaker: z
    .union([
      z.literal(false),
      z.strictObject({
        failureThreshold: positiveInt.optional(),
        windowMs: positiveInt.optional(),
        cooldownMs: positiveInt.optional(),
      }),
    ])
    .optional(),
  outcomes: z.partialRecord(z.enum(OUTCOME_CODES), z.enum(['retry', 'next', 'stop'])).optional(),
  maxCostPerRequest: usdDecimal.optional(),
  budgets: z.array(budget).optional(),
  unpriced: unpriced.optional(),
  limits: z.array(limit).optional(),
  costCheck: z
    .strictObject({ tolerance: z.number().nonnegative().optional(), maxReportedUsd: usdDecimal.optional() })
    .optional(),
  keys: z.array(gatewayKey).optional(),
  bundledCatalog: z.boolean().optional(),
  store: z
    .discriminatedUnion('type', [z.strictObject({ type: z.literal('memory') }), redisStoreSchema])
    .optional(),
  ledger: z
    .strictObject({ maxEntries: positiveInt.optional(), retentionSeconds: positiveInt.optional() })
    .optional(),
  cors: z
    .strictObject({
      origins: z.array(
        z
          .string()
          .refine(
            (value) => value === '*' || (URL.canParse(value) && new URL(value).origin === value),
            'must be "*" or an origin as browsers send it: lowercase scheme, host and port, no path or trailing slash (https://app.example.com)',
          ),
      ),
      credentials: z.boolean().optional(),
      maxAgeSeconds: nonNegativeInt.optional(),
    })
    .refine((value) => !(value.credentials === true && value.origins.includes('*')), {
      error: '"*" cannot be combined with credentials: true (browsers refuse it); list the origins',
      path: ['origins'],
    })
    .optional(),
  requestLimits: requestLimits.optional(),
  server: serverLimits.optional(),
  upstreamLimits: upstreamLimits.optional(),
  cache: cache.optional(),
  admin: z
    .strictObject({
      key: z
        .string()
        .min(16, "must be at least 16 characters (an operator's secret, not a password to guess)"),
    })
    .optional(),
});
