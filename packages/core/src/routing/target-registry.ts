import { type CircuitBreaker, createCircuitBreaker } from '../breaker/circuit-breaker.js';
import type { CatalogModel } from '../catalog/catalog-model.js';
import type { Clock } from '../clock.js';
import type { Capability, ModelConfig } from '../config/config-types.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { type ModelPricing, parsePricing } from '../pricing/model-pricing.js';
import type { HealthSync } from '../store/switchyard-store.js';
import type { TransportEndpoint } from '../transport/transport.js';
import type { AnswerValidator } from '../validators/answer-validator.js';
import {
  toValidator,
  type ValidatorLike,
  validatorsFromConfig,
} from '../validators/validators-from-config.js';
import { compileCondition } from './conditions/compile-condition.js';
import { conditionHeaders } from './conditions/route-condition.js';
import { createLatencyEstimate } from './latency-estimate.js';
import type { ModelType } from './operation.js';
import { shareBreaker, shareLatency } from './shared-health.js';
import type { ModelTarget, RouteTarget, Target, TargetHealth } from './target.js';

const RAW_TARGET_CACHE_LIMIT = 1000;

/** Options of {@link createTargetRegistry}. */
export interface TargetRegistryOptions {
  /** The configuration with its defaults applied. */
  resolved: ResolvedConfig;
  catalog: readonly CatalogModel[];
  clock: Clock;
  /** Extra validators per route name. */
  validators: Readonly<Record<string, readonly ValidatorLike[]>>;
  /** Shares breaker state and latency estimates with a fleet. */
  health?: HealthSync;
}

/** Every target of a configuration, compiled once: what `request.model` resolves to. */
export interface TargetRegistry {
  /** A route, an alias, or (when allowed) a raw model id of the default provider. */
  resolve(model: string): Target | undefined;
  readonly routes: ReadonlyMap<string, RouteTarget>;
  readonly models: ReadonlyMap<string, ModelTarget>;
  /** Breakers by `provider/model`. */
  readonly breakers: ReadonlyMap<string, CircuitBreaker>;
  /** Health (breaker, latency) by `provider/model`. */
  readonly health: ReadonlyMap<string, TargetHealth>;
  /** Every configured API key, to scrub from messages. */
  readonly secrets: readonly string[];
  /** Every transport endpoint, by provider name. */
  readonly endpoints: ReadonlyMap<string, TransportEndpoint>;
  /** The request headers `conditional` routes' rules read (lower-case names), none when no rule does. */
  readonly headerNames: readonly string[];
  /**
   * The prices of a model id, when known: a configured alias of that model id with prices, else
   * the catalog. Used to price what ran when the upstream served another model.
   */
  pricingOf(model: string): ModelPricing | undefined;
}

function capabilitiesOf(
  alias: ModelConfig | undefined,
  entry: CatalogModel | undefined,
): Set<Capability> | undefined {
  if (alias?.capabilities !== undefined) return new Set(alias.capabilities);
  if (entry?.supported_parameters === undefined) return undefined;
  const capabilities = new Set<Capability>();
  for (const parameter of entry.supported_parameters) {
    if (parameter === 'tools' || parameter === 'response_format' || parameter === 'structured_outputs') {
      capabilities.add(parameter);
    }
  }
  if (entry.architecture?.input_modalities?.includes('image')) capabilities.add('vision');
  return capabilities;
}

/**
 * What a model serves: the alias's `type`, else what the catalog's output modalities say
 * (`embeddings` makes an embedding model, any other output a chat model), else unknown.
 */
function typeOf(alias: ModelConfig | undefined, entry: CatalogModel | undefined): ModelType | undefined {
  if (alias?.type !== undefined) return alias.type;
  const outputs = entry?.architecture?.output_modalities;
  if (outputs === undefined || outputs.length === 0) return undefined;
  return outputs.includes('embeddings') ? 'embedding' : 'chat';
}

/** Whether a base URL is OpenRouter's (which understands the `provider` object). */
function isOpenRouter(baseURL: string): boolean {
  const host = URL.canParse(baseURL) ? new URL(baseURL).hostname : '';
  return host === 'openrouter.ai' || host.endsWith('.openrouter.ai');
}

/** Compiles the providers, aliases and routes of a configuration into {@link Target}s. */
export function createTargetRegistry(options: TargetRegistryOptions): TargetRegistry {
  const { resolved, clock, health: sync } = options;
  const { config } = resolved;
  const catalog = new Map<string, CatalogModel>();
  for (const entry of options.catalog) if (!catalog.has(entry.id)) catalog.set(entry.id, entry);
  const endpoints = new Map<string, TransportEndpoint>();
  const understands = new Map<string, boolean>();
  const secrets: string[] = [];
  for (const [name, provider] of Object.entries(config.providers)) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    // A header set to "" is one the config turned off (a preset's attribution header).
    for (const [header, value] of Object.entries(provider.headers ?? {}))
      if (value !== '') headers[header] = value;
    if (provider.apiKey !== undefined && provider.apiKey !== '') {
      const auth = provider.auth ?? 'bearer';
      if (auth === 'bearer') headers.authorization = `Bearer ${provider.apiKey}`;
      else headers[auth.header.toLowerCase()] = provider.apiKey;
      secrets.push(provider.apiKey);
    }
    understands.set(name, provider.providerPreferences ?? isOpenRouter(provider.baseURL));
    endpoints.set(name, {
      name,
      baseURL: provider.baseURL,
      headers,
      connections: provider.connections ?? resolved.connections,
    });
  }

  const breakerSettings = resolved.breaker;
  const health = new Map<string, TargetHealth>();
  const breakers = new Map<string, CircuitBreaker>();
  const healthOf = (key: string): TargetHealth => {
    let found = health.get(key);
    if (found === undefined) {
      const local =
        breakerSettings === undefined ? undefined : createCircuitBreaker({ ...breakerSettings, clock });
      const breaker = local === undefined || sync === undefined ? local : shareBreaker(local, key, sync);
      if (breaker !== undefined) breakers.set(key, breaker);
      const latency = createLatencyEstimate({ clock });
      found = { key, breaker, latency: sync === undefined ? latency : shareLatency(latency, key, sync) };
      health.set(key, found);
    }
    return found;
  };

  const modelTarget = (name: string, alias: ModelConfig): ModelTarget => {
    const entry = catalog.get(alias.model);
    const pricing = alias.pricing ?? entry?.pricing;
    const endpoint = endpoints.get(alias.provider);
    if (endpoint === undefined) throw new Error(`unknown provider "${alias.provider}"`);
    return {
      kind: 'model',
      name,
      provider: alias.provider,
      endpoint,
      model: alias.model,
      contextLength:
        alias.contextLength ?? entry?.context_length ?? entry?.top_provider?.context_length ?? undefined,
      maxCompletionTokens:
        alias.maxCompletionTokens ?? entry?.top_provider?.max_completion_tokens ?? undefined,
      pricing: pricing === undefined ? undefined : parsePricing(pricing),
      rankPrices:
        pricing === undefined
          ? undefined
          : {
              prompt: Number(pricing.prompt ?? 0),
              completion: Number(pricing.completion ?? 0),
              request: Number(pricing.request ?? 0),
            },
      capabilities: capabilitiesOf(alias, entry),
      type: typeOf(alias, entry),
      health: healthOf(`${alias.provider}/${alias.model}`),
      policy: alias.providerPolicy,
      understandsPreferences: understands.get(alias.provider) === true,
    };
  };

  const models = new Map<string, ModelTarget>();
  for (const [name, alias] of Object.entries(config.models ?? {})) models.set(name, modelTarget(name, alias));

  const routes = new Map<string, RouteTarget>();
  const { defaultProvider, allowRawModels: allowRaw } = resolved;
  const rawTargets = new Map<string, ModelTarget>();
  const raw = (model: string, fromConfig = false): ModelTarget | undefined => {
    if ((!allowRaw && !fromConfig) || model === '') return undefined;
    // From a request, a raw id must be in the catalog or look like `author/slug`.
    if (!fromConfig && !catalog.has(model) && !model.includes('/')) return undefined;
    let target = rawTargets.get(model);
    if (target === undefined) {
      if (rawTargets.size >= RAW_TARGET_CACHE_LIMIT) rawTargets.clear();
      target = modelTarget(model, { provider: defaultProvider, model });
      rawTargets.set(model, target);
    }
    return target;
  };

  const buildRoute = (name: string): RouteTarget => {
    const existing = routes.get(name);
    if (existing !== undefined) return existing;
    const route = config.routes?.[name];
    if (route === undefined) throw new Error(`unknown route "${name}"`);
    const validators: AnswerValidator[] = [
      ...validatorsFromConfig(route.validate),
      ...(options.validators[name] ?? []).map(toValidator),
    ];
    const targetOf = (targetName: string): Target => {
      const target =
        config.routes?.[targetName] !== undefined
          ? buildRoute(targetName)
          : (models.get(targetName) ?? raw(targetName, true));
      if (target === undefined) throw new Error(`routes.${name}: unknown model "${targetName}"`);
      return target;
    };
    const rules = (route.rules ?? []).map((rule, index) => ({
      index,
      test: compileCondition(rule.when),
      target: targetOf(rule.target),
    }));
    const otherwise = route.default === undefined ? undefined : targetOf(route.default);
    const entries =
      route.targets === undefined
        ? // A conditional route's targets: each rule's, then the default's, once each.
          [
            ...new Set([
              ...rules.map((rule) => rule.target),
              ...(otherwise === undefined ? [] : [otherwise]),
            ]),
          ].map((target) => ({ target, weight: 1 }))
        : route.targets.map((entry) => ({
            target: targetOf(typeof entry === 'string' ? entry : entry.target),
            weight: typeof entry === 'string' ? 1 : (entry.weight ?? 1),
          }));
    const compiled: RouteTarget = {
      kind: 'route',
      name,
      strategy: route.strategy,
      entries,
      validators,
      hedgeAfterMs: route.hedgeAfterMs ?? resolved.hedgeAfterMs,
      ...(route.retry === undefined ? {} : { retry: route.retry }),
      ...(route.providerPolicy === undefined ? {} : { policy: route.providerPolicy }),
      ...(otherwise === undefined ? {} : { conditional: { rules, otherwise } }),
    };
    routes.set(name, compiled);
    return compiled;
  };
  for (const name of Object.keys(config.routes ?? {})) buildRoute(name);
  const headerNames = new Set<string>();
  for (const route of Object.values(config.routes ?? {}))
    for (const rule of route.rules ?? []) conditionHeaders(rule.when, headerNames);

  const pricesById = new Map<string, ModelPricing | undefined>();
  const pricingOf = (model: string): ModelPricing | undefined => {
    if (pricesById.has(model)) return pricesById.get(model);
    const alias = Object.values(config.models ?? {}).find(
      (candidate) => candidate.model === model && candidate.pricing !== undefined,
    );
    const pricing = alias?.pricing ?? catalog.get(model)?.pricing;
    const parsed = pricing === undefined ? undefined : parsePricing(pricing);
    if (pricesById.size < RAW_TARGET_CACHE_LIMIT) pricesById.set(model, parsed);
    return parsed;
  };

  return {
    pricingOf,
    resolve: (model) => routes.get(model) ?? models.get(model) ?? raw(model),
    routes,
    models,
    breakers,
    health,
    secrets,
    endpoints,
    headerNames: Object.freeze([...headerNames]),
  };
}
