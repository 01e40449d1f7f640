import { z } from 'zod';
import { OUTCOME_CODES } from '../errors/outcome-codes.js';
import { providerPolicySchema } from '../policy/policy-schema.js';
import { conditionIssues, type RouteCondition } from '../routing/conditions/route-condition.js';
import type { ProviderConfig, SwitchyardConfig } from './config-types.js';
import { decimalAmount } from './decimal-amount.js';
import { applyProviderPreset, isProviderPresetName, PROVIDER_PRESETS } from './provider-presets.js';
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

const httpUrl = z
  .string()
  .refine(
    (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
    'must be an http(s) URL',
  );

// An HTTP header name (RFC 9110 token).
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name');

const provider = z
  .strictObject({
    preset: z.string().optional(),
    baseURL: httpUrl.optional(),
    apiKey: z.string().optional(),
    auth: z
      .union([z.literal('bearer'), z.strictObject({ header: headerName })], {
        error: 'must be "bearer" or { header: "<header name>" } (e.g. { header: x-api-key })',
      })
      .optional(),
    headers: z.record(z.string(), z.string()).optional(),
    connections: positiveInt.optional(),
    fee: z
      .strictObject({
        percent: percentDecimal.refine((value) => Number(value) <= 100, 'must be a percent from 0 to 100'),
        freeRequestsPerMonth: nonNegativeInt.optional(),
      })
      .optional(),
    unpriced: unpriced.optional(),
    providerPreferences: z.boolean().optional(),
  })
  .superRefine((value, context) => {
    if (value.preset !== undefined && !isProviderPresetName(value.preset)) {
      context.addIssue({
        code: 'custom',
        path: ['preset'],
        message: `unknown preset "${value.preset}"; known: ${Object.keys(PROVIDER_PRESETS).join(', ')}`,
      });
      return;
    }
    const preset = value.preset === undefined ? undefined : PROVIDER_PRESETS[value.preset];
    if (preset === undefined && value.baseURL === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['baseURL'],
        message: 'required (or name a preset that gives one)',
      });
    }
    const keyHeader =
      value.auth === undefined || value.auth === 'bearer' ? 'authorization' : value.auth.header;
    const keyInHeaders = Object.keys(value.headers ?? {}).some(
      (name) => name.toLowerCase() === keyHeader.toLowerCase(),
    );
    if (preset !== undefined && !preset.local && value.apiKey === undefined && !keyInHeaders) {
      context.addIssue({
        code: 'custom',
        path: ['apiKey'],
        message: `preset "${value.preset}" (${preset.label}) needs an API key: set apiKey, e.g. "\${${value.preset?.toUpperCase()}_API_KEY}"`,
      });
    }
  })
  // The preset's fields, filled in once here: every consumer reads the expanded section.
  .transform((value) => applyProviderPreset(value) as ProviderConfig);

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
  providerPolicy: providerPolicySchema.optional(),
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

// A rule's condition is checked by hand: its keys are field names and operators, with paths.
const condition = z
  .custom<RouteCondition>(() => true)
  .superRefine((value, context) => {
    for (const issue of conditionIssues(value))
      context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });

const route = z
  .strictObject({
    strategy: z.enum(['fallback', 'weighted', 'cheapest', 'fastest', 'cascade', 'hedge', 'conditional']),
    targets: z.array(target).min(1, 'must name at least one target').optional(),
    rules: z
      .array(z.strictObject({ when: condition, target: name }))
      .min(1, 'must list at least one rule')
      .optional(),
    default: name.optional(),
    validate: validate.optional(),
    hedgeAfterMs: nonNegativeInt.optional(),
    unpriced: unpriced.optional(),
    retry: z
      .strictObject({ rounds: positiveInt.optional(), maxRequestAttempts: positiveInt.optional() })
      .optional(),
    cache: routeCache.optional(),
    providerPolicy: providerPolicySchema.optional(),
  })
  .superRefine((value, context) => {
    const issue = (path: string, message: string): void => {
      context.addIssue({ code: 'custom', message, path: [path] });
    };
    if (value.strategy !== 'conditional') {
      if (value.targets === undefined) issue('targets', 'must name at least one target');
      if (value.rules !== undefined) issue('rules', 'applies only to strategy "conditional"');
      if (value.default !== undefined) issue('default', 'applies only to strategy "conditional"');
      return;
    }
    if (value.targets !== undefined)
      issue('targets', 'a conditional route names its targets in rules[].target and default');
    if (value.rules === undefined) issue('rules', 'a conditional route must list its rules');
    if (value.default === undefined) issue('default', 'a conditional route must name a default target');
    if (value.cache !== undefined && value.cache !== false)
      issue(
        'cache',
        'a conditional route is never cached (its pick reads the caller and headers); cache its targets',
      );
  });

const gatewayKey = z.strictObject({
  name: name,
  key: z.string().min(8, 'must be at least 8 characters'),
  routes: z.array(name).optional(),
  budget: z.strictObject({ usd: usdDecimal, period: z.enum(['minute', 'hour', 'day', 'month']) }).optional(),
  tags: z.array(name).optional(),
  providerPolicy: providerPolicySchema.optional(),
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
