import type { IncomingMessage } from 'node:http';
import type { BudgetConfig, Caller, ProviderPolicy, RouterOptions, SwitchyardConfig } from '@switchyard/core';
import type { GatewayOptions } from '@switchyard/core/node';

/**
 * Options of `SwitchyardModule.forRoot()` (or what a `forRootAsync()` factory returns).
 * @example
 * SwitchyardModule.forRoot({
 *   config: 'switchyard.yaml',
 *   identify: (request) => ({ user: request.headers['x-user-id'] as string | undefined }),
 * })
 */
export interface SwitchyardModuleOptions {
  /**
   * The configuration: an object (validated at start-up), or the path of a JSON or YAML file read
   * by the core's `loadConfig` (`${NAME}` interpolated from the environment).
   */
  config: SwitchyardConfig | string;
  /**
   * Options of the core's `createRouter` besides the config: `catalog`, `transport`, `clock`,
   * `random`, `validators`, `hooks`, `budgetStore`, `limiterFactory`, `ledger`.
   * @default {}
   */
  router?: Omit<RouterOptions, 'config'>;
  /**
   * Finds who is calling from the HTTP request (the framework's request: Express's `Request`, or
   * Fastify's): key name, end user and tags, for budgets, rate limits and the ledger. Called at
   * most once per request, when a handler first calls `SwitchyardService`; an error it throws (for
   * example a 401 `GatewayError`) is the handler's error.
   * @default () => ({}) (anonymous)
   * @example (request: Request) => ({ user: request.get('x-user-id'), tags: ['web'] })
   */
  identify?(request: IncomingMessage): Caller | Promise<Caller>;
  /** Budgets applied to every call made through `SwitchyardService` (on top of the configured ones). */
  budgets?: readonly BudgetConfig[];
  /** Cost ceiling of every call through `SwitchyardService`, in USD as a decimal string. */
  maxCostUsd?: string;
  /**
   * A provider policy every call through `SwitchyardService` keeps (data policy, provider pins),
   * or a function of the HTTP request and its caller (from `identify`) that finds it, asked once
   * per request (a tenant's, say; outside a request only a policy object applies). A call's own
   * `policy` is merged with it, the stricter winning.
   * @example (request: IncomingMessage, caller: Caller) => (caller.key === 'eu-tenant' ? { data_collection: 'deny' } : undefined)
   */
  policy?: ProviderPolicy | ((request: IncomingMessage, caller: Caller) => ProviderPolicy | undefined);
  /**
   * Options of the OpenAI-compatible controller (`createOpenAIController`): gateway keys, CORS,
   * body limit, request shape limits and the per-request log line.
   * @default { keys: config.keys, cors: config.cors, requestLimits: config.requestLimits }
   */
  gateway?: Omit<GatewayOptions, 'router'>;
}
