import type { OutcomeAction, OutcomeCode } from '../errors/outcome-codes.js';
import type { ProviderPolicy } from '../policy/provider-policy.js';
import type { RouteCondition } from '../routing/conditions/route-condition.js';
import type { ProviderPresetName } from './provider-presets.js';

/**
 * USD per token (or per request / image), as decimal strings, in OpenRouter's `/models` names.
 *
 * Money here and in every other USD field (`fee.percent` too) is a decimal string once validated.
 * A configuration file (`loadConfig`, `parseConfig`), or from JavaScript any object checked by
 * `validateConfig` or `createRouter`, may also write it as a number (`usd: 5`,
 * `prompt: 0.00000012`): it is converted exactly from the number's shortest decimal text
 * (`String(n)`), so `0.1` means 0.1, and YAML's `1.2e-7` means `"0.00000012"`. Negative, infinite
 * or NaN amounts and strings that are not plain decimals (`"1e-7"`, `"$5"`) are refused.
 */
export interface PricingConfig {
  /** USD per prompt token, e.g. `"0.00000012"`. */
  prompt?: string;
  /** USD per completion token. */
  completion?: string;
  /** USD per request. */
  request?: string;
  /** USD per input image. */
  image?: string;
  /** USD per prompt token read from the provider's cache. */
  input_cache_read?: string;
  /** USD per prompt token written to the provider's cache. */
  input_cache_write?: string;
  /** USD per reasoning token, when priced apart from completion tokens. */
  internal_reasoning?: string;
}

/** An upstream speaking OpenAI's chat-completions wire. */
export interface ProviderConfig {
  /**
   * A known provider whose base URL, auth style, attribution headers and platform fee fill the
   * fields this section leaves out (`openrouter`, `tokenmix`, `openai`, `deepseek`, `groq`,
   * `together`, `mistral`, `anthropic`, `ollama`, `vllm`; see `PROVIDER_PRESETS`). Every field
   * set here wins over the preset's. Once validated, the filled fields are part of the section.
   * @example { preset: 'tokenmix', apiKey: '${TOKENMIX_API_KEY}' }
   */
  preset?: ProviderPresetName;
  /**
   * Base URL including the API prefix, e.g. `https://openrouter.ai/api/v1`. Required unless a
   * preset gives one; always set once validated.
   */
  baseURL: string;
  /** API key sent upstream (as `auth` says). Never appears in errors, logs or responses. */
  apiKey?: string;
  /**
   * How `apiKey` is sent: `bearer` (`Authorization: Bearer <key>`) or `{ header: 'x-api-key' }`
   * (the key as is in that header).
   * @default 'bearer'
   */
  auth?: ProviderAuth;
  /**
   * Extra headers sent with every request (e.g. `X-OpenRouter-Title`). They win over a preset's
   * headers of the same name (any case); a header set to `""` is not sent.
   */
  headers?: Record<string, string>;
  /**
   * Maximum open connections to this provider.
   * @default 128
   */
  connections?: number;
  /** The provider's platform fee on top of token prices (e.g. OpenRouter pay-as-you-go: 5.5%). */
  fee?: FeeConfig;
  /** What money rules do with this provider's unpriced models, raw ids included (alias and route policies win). */
  unpriced?: UnpricedPolicy;
  /**
   * Whether this upstream understands OpenRouter's `provider` object (provider preferences): the
   * merged `providerPolicy` of the key, route, alias and request is then sent in the body. Otherwise
   * a policy it cannot honour (`data_collection: deny`, `zdr: true`, `only`, a non-empty `ignore`)
   * makes its targets ineligible (`x-switchyard-skipped: <target>:policy:zdr`).
   * @default true when `baseURL` is at openrouter.ai, false otherwise
   */
  providerPreferences?: boolean;
}

/** How a provider's API key is sent: as a bearer token, or as is in a header of its own. */
export type ProviderAuth = 'bearer' | { header: string };

/** A platform fee: a percent of the token cost, optionally after a free allowance (BYOK). */
export interface FeeConfig {
  /** Percent of the token cost, as a decimal string (or a number in a file), e.g. `"5.5"` or `5.5`. */
  percent: string;
  /** BYOK: requests per calendar month (UTC) that carry no fee before `percent` applies. */
  freeRequestsPerMonth?: number;
}

/** Calendar-aligned (UTC) budget periods. */
export type BudgetPeriod = 'minute' | 'hour' | 'day' | 'month';

/** What a budget or a rate limit counts by. */
export type SpendScope = 'global' | 'key' | 'user' | 'route' | 'tag' | 'model' | 'provider';

/**
 * A spending budget: at most `usd` per `period` for a scope. With `match`, one budget for that
 * value (`match` may use `*` wildcards); without it, one budget for each value (each key, each user...).
 * @example { scope: 'key', match: 'team-a', usd: '5', period: 'day' }
 */
export interface BudgetConfig {
  scope: Exclude<SpendScope, 'provider'>;
  match?: string;
  /** USD per period, as a decimal string (or a number in a file), e.g. `"5"` or `5`. */
  usd: string;
  period: BudgetPeriod;
  /** Shown in errors; by default `scope:match`. */
  name?: string;
}

/**
 * A client-side rate limit: requests per minute / per day and tokens per minute, for a provider,
 * a model id (`*` wildcards, e.g. `*:free`) or a gateway key. Without `match`, one limit for each value.
 * @example { scope: 'model', match: '*:free', rpm: 20, rpd: 50 }
 */
export interface RateLimitConfig {
  scope: 'provider' | 'model' | 'key';
  match?: string;
  /** Requests per minute. */
  rpm?: number;
  /** Requests per day. */
  rpd?: number;
  /**
   * When the `rpd` counter starts over: at midnight UTC (OpenRouter's free-tier day, whose
   * `X-RateLimit-Reset` names that time), or 24 hours after a day's first request.
   * @default 'utc-midnight' for `:free` model ids, 'rolling' otherwise
   */
  rpdReset?: 'utc-midnight' | 'rolling';
  /** Tokens (prompt + worst-case completion) per minute. */
  tpm?: number;
  /** Shown in errors; by default `scope:match`. */
  name?: string;
}

/** How reported costs are checked against computed ones. */
export interface CostCheckConfig {
  /**
   * Relative difference above which reported and computed costs are flagged as a mismatch.
   * @default 0.05
   */
  tolerance?: number;
  /**
   * A reported cost with no catalog price to check it against is capped at this many USD (a
   * decimal string, or a number in a file).
   * @default "5"
   */
  maxReportedUsd?: string;
}

/** Capabilities a model may have; requests that need one skip models that lack it. */
export type Capability = 'tools' | 'response_format' | 'structured_outputs' | 'vision';

/**
 * What budgets and the cost ceiling do with a target whose worst case cannot be priced (no price in
 * the catalog or config, or no completion bound):
 * - `deny`: refuse it (402 `unpriced_model`, naming the model and how to price it);
 * - `{ worstCaseUsd }`: reserve and check this worst case per attempt, and settle an attempt at
 *   no more than it (the upstream's reported figure is kept beside it and flagged when higher);
 * - `allow`: no money rule applies to it (said loudly at start-up); its reported cost is still
 *   recorded and counted.
 * Where no budget and no ceiling apply, an unpriced target is served whatever its policy.
 * @example unpriced: { worstCaseUsd: "0.05" }
 */
export type UnpricedPolicy = 'deny' | 'allow' | { worstCaseUsd: string };

/** An alias: a provider and its model id, with optional overrides of catalog data. */
export interface ModelConfig {
  /** Provider name from `providers`. */
  provider: string;
  /** The provider's model id, e.g. `meta-llama/llama-3.3-70b-instruct`. */
  model: string;
  /** Price overrides (otherwise from the catalog). */
  pricing?: PricingConfig;
  /** Context window in tokens (otherwise from the catalog). */
  contextLength?: number;
  /** Largest completion the model allows (otherwise from the catalog). */
  maxCompletionTokens?: number;
  /** Capabilities (otherwise derived from the catalog's `supported_parameters` and modalities). */
  capabilities?: Capability[];
  /**
   * What the model serves: `chat` completions only, or `embedding`s only (`router.embed`,
   * `POST /v1/embeddings`); a request of the other kind skips it. Otherwise from the catalog's
   * `architecture.output_modalities` (`embeddings` makes an embedding model); unknown serves both.
   */
  type?: 'chat' | 'embedding';
  /** What money rules do when this alias has no price (wins over its route's, provider's and the default). */
  unpriced?: UnpricedPolicy;
  /**
   * Provider preferences for this alias (OpenRouter's `provider` object), merged with its routes',
   * the key's and the request's: see `ProviderPolicy`.
   * @example { data_collection: 'deny', ignore: ['deepinfra'] }
   */
  providerPolicy?: ProviderPolicy;
}

/** Routing strategies. */
export type StrategyName =
  | 'fallback'
  | 'weighted'
  | 'cheapest'
  | 'fastest'
  | 'cascade'
  | 'hedge'
  | 'conditional';

/** A rule of a `conditional` route: when its condition holds, the route's request goes to `target`. */
export interface RouteRuleConfig {
  /** What must hold (see `RouteCondition`). */
  when: RouteCondition;
  /** An alias, another route, or a raw model id of the default provider. */
  target: string;
}

/** A route's target with a weight (for `weighted`). */
export interface WeightedTargetConfig {
  /** An alias, another route, or a raw model id of the default provider. */
  target: string;
  /**
   * Relative share of traffic under `weighted`.
   * @default 1
   */
  weight?: number;
}

/** Checks on a successful answer; a rejection is a `bad_output` outcome. */
export interface ValidateConfig {
  /** The answer must have non-empty text or tool calls. */
  nonEmpty?: boolean;
  /** The answer text must be JSON (a single fenced ```json block is accepted). */
  json?: boolean;
  /** The answer text must be JSON matching this JSON Schema. */
  schema?: Record<string, unknown>;
  /** Reject refusals (`message.refusal`, or text that starts like a refusal). */
  refusal?: boolean;
  /** Reject an answer served by another model than the one sent (a route surprise). */
  expectedModel?: boolean;
}

/** A named route: an ordered list of targets and how to choose among them. */
export interface RouteConfig {
  /** How targets are chosen and ordered; `conditional` picks one by `rules`, else `default`. */
  strategy: StrategyName;
  /** Aliases, other routes (nesting), or raw model ids. Required but for `conditional`, which has none. */
  targets?: Array<string | WeightedTargetConfig>;
  /**
   * `conditional` only: the rules in order; the first whose `when` holds picks the target.
   * @example [{ when: { 'request.tools': true }, target: 'tools' }, { when: { 'caller.tags': 'pro' }, target: 'premium' }]
   */
  rules?: RouteRuleConfig[];
  /** `conditional` only: the target when no rule holds. */
  default?: string;
  /**
   * Provider preferences for every target of this route (OpenRouter's `provider` object), merged
   * with the key's, the alias's and the request's: see `ProviderPolicy`.
   * @example { data_collection: 'deny', zdr: true }
   */
  providerPolicy?: ProviderPolicy;
  /** Checks on answers from this route's targets. */
  validate?: ValidateConfig;
  /**
   * `hedge` only: start the next target when the previous has not answered within this many ms.
   * @default 1000
   */
  hedgeAfterMs?: number;
  /** What money rules do with this route's unpriced targets (an alias's own policy wins). */
  unpriced?: UnpricedPolicy;
  /**
   * The retry budget of requests that name this route (wins over the top-level `retry`); a route
   * nested in another one follows the outer route's.
   * @example { rounds: 3, maxRequestAttempts: 8 }
   */
  retry?: RequestRetryConfig;
  /**
   * Answer caching for requests that name this route: its settings win over the top-level
   * `cache` (which need not be set); `false` turns caching off here.
   * @default the top-level `cache`
   */
  cache?: RouteCacheConfig | false;
}

/**
 * A request's retry budget: how often it may go around its whole chain of targets, and how many
 * attempts it may make in all.
 */
export interface RequestRetryConfig {
  /**
   * Passes over the request's chain. After every target failed or was passed over, and one of
   * them failed in a transient way (5xx, 429, timeout, reset, invalid answer), the router waits
   * (exponential backoff with full jitter, or until the first such target's `Retry-After` is up)
   * and goes around again, calling those targets only; a target whose `Retry-After` is not up when
   * its turn comes is passed over in that round. `1` is one pass, with the last target standing
   * retried up to `maxAttempts` times.
   * @default 1
   */
  rounds?: number;
  /**
   * Attempts one request may start, over all its targets and rounds, the first included; once
   * spent, the request fails with what its attempts said.
   * @default 10
   */
  maxRequestAttempts?: number;
}

/**
 * How answers of a route are cached: per route (`routes.<name>.cache`) or as the default of every
 * request (the top-level `cache`).
 * @example { ttlSeconds: 3600, scope: 'global' }
 */
export interface RouteCacheConfig {
  /**
   * How long a cached answer is served.
   * @default 300
   */
  ttlSeconds?: number;
  /**
   * Who shares answers: `key` keeps each gateway key's (each `caller.key`'s) answers apart, so one
   * tenant never sees another's; `global` shares them across keys.
   * @default 'key'
   */
  scope?: 'key' | 'global';
  /**
   * Also cache requests whose answer is not repeatable: `temperature` above 0 or `n` above 1
   * (a request that sets no temperature is cached).
   * @default false
   */
  nondeterministic?: boolean;
  /**
   * Count a hit against the rate limits the answer's target counts against (each hit takes one
   * request and its tokens, as the original did). By default a hit uses no limit.
   * @default false
   */
  countHitsInLimits?: boolean;
  /**
   * The largest answer stored, in bytes of its JSON; a larger one is served but not cached.
   * @default 1048576 (1 MiB)
   */
  maxEntryBytes?: number;
}

/**
 * The answer cache's default for every request, and its size in memory. Backed by the configured
 * store: in memory an LRU bounded by `maxBytes`; with `store: { type: redis }` one cache for the
 * whole fleet in Redis (expiry by Redis, entries capped by `maxEntryBytes`). Omitted: no caching,
 * except on routes that set their own `cache`.
 * @example { ttlSeconds: 300, maxBytes: 67108864 }
 */
export interface CacheConfig extends RouteCacheConfig {
  /**
   * The memory cache's bound in bytes (answers and keys); the least recently used answers are
   * evicted past it. Not used with a Redis store (Redis's own `maxmemory` bounds it there).
   * @default 67108864 (64 MiB)
   */
  maxBytes?: number;
}

/** Retry policy. */
export interface RetryConfig extends RequestRetryConfig {
  /**
   * Tries per target, the first included.
   * @default 3
   */
  maxAttempts?: number;
  /**
   * Base of the exponential backoff (full jitter).
   * @default 200
   */
  baseDelayMs?: number;
  /**
   * Cap of one backoff delay.
   * @default 5000
   */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` the router waits out; a longer one fails the target at once.
   * @default 10000
   */
  maxRetryAfterMs?: number;
}

/** Time limits. */
export interface TimeoutsConfig {
  /**
   * One attempt: until the whole answer (non-streamed) or the first content chunk (streamed).
   * @default 60000
   */
  attemptMs?: number;
  /**
   * The whole request, all attempts and waits included.
   * @default 120000
   */
  totalMs?: number;
  /**
   * A stream that sends no data for this long is stalled (keep-alive comments do not count).
   * @default 30000
   */
  stallMs?: number;
}

/** Circuit breaker per target. */
export interface BreakerConfig {
  /**
   * Failures within `windowMs` that open the breaker.
   * @default 5
   */
  failureThreshold?: number;
  /**
   * Sliding window for counting failures.
   * @default 60000
   */
  windowMs?: number;
  /**
   * Time the breaker stays open before letting one probe through (half-open).
   * @default 30000
   */
  cooldownMs?: number;
}

/**
 * A gateway key: what a client sends as `Authorization: Bearer <key>` to a Switchyard gateway.
 * @example { name: 'team-a', key: '${TEAM_A_KEY}', routes: ['default', 'smart'], budget: { usd: '5', period: 'day' } }
 */
export interface GatewayKeyConfig {
  /** Shown in logs, traces and the ledger (the key itself never is). */
  name: string;
  /** The secret; compared in constant time. */
  key: string;
  /** Routes, aliases or model ids this key may use; all when omitted. */
  routes?: string[];
  /** A spending budget for this key; `usd` as a decimal string, or a number in a file (`5`). */
  budget?: { usd: string; period: BudgetPeriod };
  /** Tags of this key's caller (budgets, the ledger and `conditional` rules read them). */
  tags?: string[];
  /**
   * Provider preferences every request of this key must keep: merged over the route's, the
   * alias's and the request's, so that a request can tighten them but never loosen them.
   * @example { data_collection: 'deny' }
   */
  providerPolicy?: ProviderPolicy;
}

/**
 * The operator's side of a gateway: the admin JSON API, the dashboard and `/metrics`.
 * @example { key: '${SWITCHYARD_ADMIN_KEY}' }
 */
export interface AdminConfig {
  /**
   * The bearer key of `/admin` and the dashboard, at least 16 characters; compared in constant
   * time and never shown. Interpolate it from the environment rather than writing it in the file.
   */
  key: string;
}

/** The whole configuration: the public contract shared by the core and the gateway apps. */
export interface SwitchyardConfig {
  /** Upstreams by name. */
  providers: Record<string, ProviderConfig>;
  /** Aliases by name. */
  models?: Record<string, ModelConfig>;
  /** Routes by name. A request's `model` may name a route, an alias, or a raw model id. */
  routes?: Record<string, RouteConfig>;
  /**
   * Provider for raw model ids that match no alias; by default the first provider.
   */
  defaultProvider?: string;
  /**
   * Whether a request may name a raw model id rather than a route or alias.
   * @default true
   */
  allowRawModels?: boolean;
  retry?: RetryConfig;
  timeouts?: TimeoutsConfig;
  /** Circuit breaker settings, or `false` to disable breakers. */
  breaker?: BreakerConfig | false;
  /** Overrides of the default action per outcome code. */
  outcomes?: Partial<Record<OutcomeCode, OutcomeAction>>;
  /**
   * Refuse any attempt whose worst-case cost (prompt tokens + `max_tokens`, or the model's maximum
   * completion when unset, plus fees) exceeds this many USD (a decimal string, or a number in a
   * file); cheaper targets may still serve.
   */
  maxCostPerRequest?: string;
  /** Spending budgets, enforced by reserving each attempt's worst case before the call. */
  budgets?: BudgetConfig[];
  /**
   * What money rules do with unpriced targets unless an alias, route or provider says otherwise.
   * @default 'deny'
   */
  unpriced?: UnpricedPolicy;
  /** Client-side rate limits; a target over its limit is skipped. */
  limits?: RateLimitConfig[];
  /** Checks of the upstream's reported cost against the computed one. */
  costCheck?: CostCheckConfig;
  /** Gateway keys; with none, a gateway is open (and says so loudly). */
  keys?: GatewayKeyConfig[];
  /**
   * Use the bundled catalog snapshot for context windows, prices and capabilities.
   * @default true
   */
  bundledCatalog?: boolean;
  /** Where budgets, rate limits, breakers, latency estimates and the ledger live. Memory by default. */
  store?: StoreConfig;
  /** Browser apps on other origins that may call the gateway's endpoints; none by default. */
  cors?: CorsConfig;
  /** The admin key of a gateway's `/admin` endpoints, dashboard and `/metrics`; none by default. */
  admin?: AdminConfig;
  /** Bounds of the spend ledger: the oldest entries beyond them are evicted, and counted. */
  ledger?: LedgerConfig;
  /** The shape a gateway accepts in a request body (nesting, messages, names, strings). */
  requestLimits?: RequestLimitsConfig;
  /** Timeouts and connection caps of a gateway's HTTP server (`applyServerLimits`). */
  server?: ServerLimitsConfig;
  /** The largest answer, stream and SSE line the router reads from an upstream, and a stream's longest life. */
  upstreamLimits?: UpstreamLimitsConfig;
  /**
   * Answer caching: the default of every route (a route's own `cache` wins), or `false`. Off when
   * omitted.
   */
  cache?: CacheConfig | false;
}

/**
 * The shape of a request body a gateway accepts, checked once as the body is read: past a limit
 * the request is a 400 `invalid_parameter` whose `param` names the field. A body nested deeper
 * than `maxDepth` could overflow the stack of the code that serialises it for the upstream.
 * @example { maxDepth: 32, maxMessages: 500 }
 */
export interface RequestLimitsConfig {
  /**
   * Deepest nesting of arrays and objects anywhere in the body (the body itself is level 1).
   * @default 64
   */
  maxDepth?: number;
  /**
   * Most `messages` in a chat request.
   * @default 10000
   */
  maxMessages?: number;
  /**
   * Most entries in a request's `models` fallback list (each may cost an upstream call).
   * @default 8
   */
  maxModels?: number;
  /**
   * Longest name: `model`, each of `models`, `user`, and every object key in the body (characters).
   * `model` and `models` may not hold control characters (CR, LF, NUL, …) either.
   * @default 256
   */
  maxNameLength?: number;
  /**
   * Longest string value anywhere in the body (characters). By default as long as the default body
   * limit lets it be, so that a large prompt or image data URL fits; lower it to cap any one string.
   * @default 4194304
   */
  maxStringLength?: number;
}

/**
 * Limits of a gateway's HTTP server, so that a slow or greedy client cannot hold its sockets: the
 * Express gateway and the Koa and Nest demos apply them with `applyServerLimits` from
 * `@switchyard/core/node`. A connection past a timeout is answered 408 and closed; one past a cap
 * is closed at once.
 * @example { headersTimeoutMs: 10000, requestTimeoutMs: 30000, maxConnections: 2000, maxConnectionsPerIp: 50 }
 */
export interface ServerLimitsConfig {
  /**
   * Time a client has to send a request's headers (a slowloris is cut here).
   * @default 15000
   */
  headersTimeoutMs?: number;
  /**
   * Time a client has to send a whole request, body included (a slow body is cut here); not the
   * time to answer, so a long stream is not cut. At least `headersTimeoutMs`.
   * @default 60000
   */
  requestTimeoutMs?: number;
  /**
   * How long an idle keep-alive connection stays open after an answer. Behind a load balancer, set
   * it above the balancer's own idle timeout.
   * @default 5000
   */
  keepAliveTimeoutMs?: number;
  /**
   * Most open connections; more are closed as they arrive.
   * @default 4096
   */
  maxConnections?: number;
  /**
   * Most open connections from one client address; more are closed as they arrive. Off by default,
   * since behind a proxy every client has the proxy's address.
   * @default undefined (no per-address cap)
   */
  maxConnectionsPerIp?: number;
}

/**
 * What the router reads from an upstream at most. Past a limit the attempt fails with
 * `upstream_too_large` (502): before a stream's first chunk the route falls back to its next
 * target; after it, the stream ends with an error event. Never counted against a breaker.
 * @example { maxAnswerBytes: 4194304, maxStreamMs: 300000 }
 */
export interface UpstreamLimitsConfig {
  /**
   * Largest non-streamed answer (error bodies included), in bytes.
   * @default 16777216 (16 MiB)
   */
  maxAnswerBytes?: number;
  /**
   * Largest streamed answer, in bytes.
   * @default 67108864 (64 MiB)
   */
  maxStreamBytes?: number;
  /**
   * Longest life of a streamed answer, from its attempt's start.
   * @default 600000 (10 minutes)
   */
  maxStreamMs?: number;
  /**
   * Longest SSE line, in bytes (an unterminated line is held in memory until it ends).
   * @default 8388608 (8 MiB)
   */
  maxSseLineBytes?: number;
}

/**
 * Bounds of the spend ledger. The memory ledger always has a cap (evicted entries are counted in
 * its stats, money included); a Redis stream is trimmed only when this section is given.
 * @example { maxEntries: 100000, retentionSeconds: 86400 }
 */
export interface LedgerConfig {
  /**
   * Entries held at most; the oldest are evicted beyond it.
   * @default 100000 in memory; no cap in Redis
   */
  maxEntries?: number;
  /** Entries older than this many seconds are evicted; no age limit when unset. */
  retentionSeconds?: number;
  /**
   * Answer caching: the default of every route (a route's own `cache` wins), or `false`. Off when
   * omitted.
   */
  cache?: CacheConfig | false;
}

/**
 * Cross-origin (CORS) access to the gateway's endpoints: preflights from these origins are granted,
 * and their requests may read the answer and the `x-switchyard-*` trace headers. Off by default.
 * @example { origins: ['https://app.example.com'], credentials: true, maxAgeSeconds: 600 }
 */
export interface CorsConfig {
  /**
   * Origins as a browser sends them in `Origin`: scheme, host and port, no path
   * (`https://app.example.com`, `http://localhost:5173`); `*` for any origin (not with `credentials`).
   */
  origins: string[];
  /**
   * Let the browser send cookies and HTTP authentication (`Access-Control-Allow-Credentials`).
   * @default false
   */
  credentials?: boolean;
  /**
   * How long a browser may reuse a preflight's answer (`Access-Control-Max-Age`).
   * @default 600
   */
  maxAgeSeconds?: number;
}

/**
 * Shared state for a fleet of gateways.
 * @example { type: 'redis', url: '${REDIS_URL}', failMode: 'closed' }
 */
export type StoreConfig = { type: 'memory' } | RedisStoreConfig;

/**
 * The Redis store: exactly one of `url` (one primary), `cluster` (Redis Cluster) or `sentinel`
 * (a primary that Sentinel fails over).
 * @example { type: 'redis', cluster: { nodes: ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379'] } }
 */
export interface RedisStoreConfig {
  type: 'redis';
  /** One primary: `redis://[:password@]host:port[/db]` or `rediss://` for TLS. */
  url?: string;
  /** Redis Cluster: some of its nodes; the client finds the others and follows failovers. */
  cluster?: RedisClusterConfig;
  /** Redis Sentinel: the sentinels and the name of the primary they watch. */
  sentinel?: RedisSentinelConfig;
  /**
   * Prefix of every key, so that several fleets can share one Redis. Without `{` or `}`: the
   * store adds its own Redis Cluster hash tags around it.
   * @default 'switchyard'
   */
  keyPrefix?: string;
  /**
   * When Redis does not answer: `closed` refuses requests with 503 `store_unavailable`;
   * `open` falls back to this process's memory (limits become per replica) and logs loudly.
   * The ledger is buffered and written once Redis is back, in both modes.
   * @default 'closed'
   */
  failMode?: 'closed' | 'open';
  /**
   * How long one Redis command may take before it counts as a failure.
   * @default 500
   */
  commandTimeoutMs?: number;
  /**
   * Whether the answer waits for the settlement and ledger write (one round trip), so that a
   * completed request is in the ledger even if its replica dies right after. `false` writes in
   * the background: one round trip less per request, at the risk of losing the entries of
   * requests that completed in the last moments before a crash.
   * @default true
   */
  awaitWrites?: boolean;
  /**
   * Count a reservation, settlement or ledger entry as written only once this many replicas of
   * its primary have it (Redis `WAIT`), so that a primary killed before it replicated cannot take
   * it along in a failover. A write that is not replicated in time is kept and written again.
   * Off by default (Redis replicates asynchronously).
   */
  waitForReplicas?: { count: number; timeoutMs?: number };
}

/** Redis Cluster nodes. */
export interface RedisClusterConfig {
  /**
   * Some nodes of the cluster, `redis://[user:password@]host:port` (`rediss://` for TLS); all with
   * the same scheme and credentials. One that answers is enough to find the others.
   */
  nodes: string[];
}

/** A primary watched by Redis Sentinel. */
export interface RedisSentinelConfig {
  /** The name the sentinels know the primary by (`sentinel monitor <name> ...`). */
  name: string;
  /**
   * The sentinels, `redis://[user:password@]host:port` (their own credentials, if they need any);
   * `rediss://` for TLS to the sentinels and the primary.
   */
  sentinels: string[];
  /** The password of the primary and its replicas, if they need one. */
  password?: string;
  /** The ACL user of the primary and its replicas. @default 'default' */
  username?: string;
  /** The database number. @default 0 */
  db?: number;
}
