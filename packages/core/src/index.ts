export type { BreakerState, CircuitBreaker, CircuitBreakerOptions } from './breaker/circuit-breaker.js';
export { createCircuitBreaker } from './breaker/circuit-breaker.js';
export type { AnswerCache } from './cache/answer-cache.js';
export { answerCacheKey } from './cache/answer-cache-key.js';
export type { CacheMode } from './cache/cache-mode.js';
export { cacheModeFromHeader } from './cache/cache-mode.js';
export type { MemoryAnswerCache } from './cache/memory-answer-cache.js';
export { createMemoryAnswerCache } from './cache/memory-answer-cache.js';
export { replayChunks } from './cache/replay-chunks.js';
export { BUNDLED_CATALOG } from './catalog/bundled-catalog.js';
export type { Catalog, CatalogFilter } from './catalog/catalog.js';
export { filterCatalog, findModel, mergeCatalogs } from './catalog/catalog.js';
export type { CatalogModel } from './catalog/catalog-model.js';
export type {
  RefreshCatalogOptions,
  RefreshedCatalog,
  SkippedCatalogEntry,
} from './catalog/refresh-catalog.js';
export { refreshCatalog } from './catalog/refresh-catalog.js';
export type { Clock, Random } from './clock.js';
export { systemClock } from './clock.js';
export type {
  AdminConfig,
  BreakerConfig,
  BudgetConfig,
  BudgetPeriod,
  CacheConfig,
  Capability,
  CorsConfig,
  CostCheckConfig,
  FeeConfig,
  GatewayKeyConfig,
  LedgerConfig,
  ModelConfig,
  PricingConfig,
  ProviderAuth,
  ProviderConfig,
  RateLimitConfig,
  RedisClusterConfig,
  RedisSentinelConfig,
  RedisStoreConfig,
  RequestLimitsConfig,
  RequestRetryConfig,
  RetryConfig,
  RouteCacheConfig,
  RouteConfig,
  RouteRuleConfig,
  ServerLimitsConfig,
  SpendScope,
  StoreConfig,
  StrategyName,
  SwitchyardConfig,
  TimeoutsConfig,
  UpstreamLimitsConfig,
  ValidateConfig,
  WeightedTargetConfig,
} from './config/config-types.js';
export type { LoadConfigOptions } from './config/load-config.js';
export { loadConfig, parseConfig } from './config/load-config.js';
export type { ProviderPreset, ProviderPresetName } from './config/provider-presets.js';
export { applyProviderPreset, isProviderPresetName, PROVIDER_PRESETS } from './config/provider-presets.js';
export { validateConfig } from './config/validate-config.js';
export type { EmbeddingEncoding } from './embeddings/embedding-encoding.js';
export { decodeEmbedding, encodeEmbedding, withEncoding } from './embeddings/embedding-encoding.js';
export type { AttemptErrorOptions } from './errors/attempt-error.js';
export { AttemptError } from './errors/attempt-error.js';
export type { ConfigIssue } from './errors/config-error.js';
export { ConfigError } from './errors/config-error.js';
export type { ErrorCode, ErrorRule, GatewayCode, OpenAIErrorType } from './errors/error-codes.js';
export { ERROR_CODES, ERROR_RULES, GATEWAY_CODES, isErrorCode } from './errors/error-codes.js';
export type { OutcomeAction, OutcomeCode, OutcomeRule } from './errors/outcome-codes.js';
export { isOutcomeCode, OUTCOME_CODES, OUTCOME_RULES } from './errors/outcome-codes.js';
export { redactKnownSecrets, redactSecrets } from './errors/redact-secrets.js';
export type { RoutingErrorOptions } from './errors/routing-error.js';
export { RoutingError } from './errors/routing-error.js';
export { StoreUnavailableError } from './errors/store-unavailable-error.js';
export type { SwitchyardErrorOptions } from './errors/switchyard-error.js';
export { SwitchyardError } from './errors/switchyard-error.js';
export type { MergedPolicy, PolicyLayer } from './policy/merge-policies.js';
export { mergePolicies } from './policy/merge-policies.js';
export type { PolicySkipReason } from './policy/policy-check.js';
export type { MaxPrice, ProviderPolicy, ProviderSort, Quantization } from './policy/provider-policy.js';
export type { ModelPricing } from './pricing/model-pricing.js';
export { estimateCost, parsePricing, usageCost } from './pricing/model-pricing.js';
export type { Picodollars } from './pricing/money.js';
export { formatUsd, parseUsd, percentOf, usdFromNumber } from './pricing/money.js';
export type {
  CallOptions,
  ChatResult,
  EmbeddingResult,
  Router,
  RouterOptions,
  TargetDescription,
} from './router/create-router.js';
export { createRouter } from './router/create-router.js';
export { RoutedStream } from './router/routed-stream.js';
export type { FallbackEvent, RouterHooks } from './router/router-hooks.js';
export type {
  ConditionInput,
  ConditionTest,
  RequestHeaders,
} from './routing/conditions/compile-condition.js';
export { compileCondition } from './routing/conditions/compile-condition.js';
export type { RouteCondition } from './routing/conditions/route-condition.js';
export type { ModelType, Operation } from './routing/operation.js';
export type { BudgetDenial, BudgetUsage } from './spend/budget-guard.js';
export type { BudgetBucket, BudgetStore, Reservation, ReserveOutcome } from './spend/budget-store.js';
export { createMemoryBudgetStore } from './spend/budget-store.js';
export type { TargetEstimate } from './spend/estimate-request.js';
export { estimateRequest } from './spend/estimate-request.js';
export type { MemoryLedger, MemoryLedgerOptions } from './spend/memory-ledger.js';
export { createMemoryLedger, DEFAULT_LEDGER_MAX_ENTRIES } from './spend/memory-ledger.js';
export type { LimiterFactory, RateLimitUsage } from './spend/rate-limit-guard.js';
export { memoryLimiterFactory } from './spend/rate-limit-guard.js';
export type {
  EvictedSpend,
  LedgerEntry,
  LedgerFilter,
  LedgerOutcome,
  LedgerStats,
  SpendLedger,
  SpendSummary,
} from './spend/spend-ledger.js';
export {
  ledgerToCsv,
  ledgerToJson,
  matchesFilter as matchesLedgerFilter,
  summarizeSpend,
} from './spend/spend-ledger.js';
export type { Caller } from './spend/spend-scope.js';
export type { SpendTotals } from './spend/spend-totals.js';
export { createSpendTotals } from './spend/spend-totals.js';
export type { SpendGrouping, SpendGroupSummary } from './spend/summarize-spend-by.js';
export { summarizeSpendBy } from './spend/summarize-spend-by.js';
export type {
  HealthLink,
  HealthSync,
  SharedBreakerSettings,
  SwitchyardStore,
} from './store/switchyard-store.js';
export { createMemoryStore } from './store/switchyard-store.js';
export { assembleCompletion } from './stream/assemble-completion.js';
export type { TelemetryOptions } from './telemetry/router-telemetry.js';
export type { Door } from './trace/door.js';
export { isRouteSurprise } from './trace/new-trace.js';
export type {
  AttemptOutcome,
  AttemptTrace,
  CacheStatus,
  MatchedRule,
  RoutingTrace,
  ServedTarget,
  SkippedTarget,
  TraceCaller,
  UsageReport,
} from './trace/routing-trace.js';
export type { TraceLogInput, TraceLogRecord } from './trace/trace-log-record.js';
export { traceLogRecord } from './trace/trace-log-record.js';
export type { UpstreamLimit } from './transport/response-too-large.js';
export { ResponseTooLarge } from './transport/response-too-large.js';
export { SseParser } from './transport/sse-parser.js';
export type {
  Transport,
  TransportEndpoint,
  TransportRequest,
  TransportResponse,
} from './transport/transport.js';
export type { UndiciTransportOptions } from './transport/undici-transport.js';
export { createUndiciTransport } from './transport/undici-transport.js';
export type { ChatChunk, ChatRequest, ChatResponse, OpenRouterRequestFields } from './types/chat.js';
export type { EmbeddingItem, EmbeddingRequest, EmbeddingResponse } from './types/embeddings.js';
export type { AnswerValidator, ValidationInput, ValidationVerdict } from './validators/answer-validator.js';
export type { RefusalValidatorOptions } from './validators/built-in-validators.js';
export {
  customValidator,
  expectedModelValidator,
  jsonValidator,
  nonEmptyValidator,
  parseAnswerJson,
  refusalValidator,
} from './validators/built-in-validators.js';
export { jsonSchemaValidator, standardSchemaValidator } from './validators/schema-validators.js';
export type { ValidatorLike } from './validators/validators-from-config.js';
export { toValidator } from './validators/validators-from-config.js';
