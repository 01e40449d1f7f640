import type { BudgetConfig, Caller, ProviderPolicy, Router } from '@switchyard/core';
import type { Context, Middleware } from 'koa';
import { createSwitchyardClient } from './switchyard-client.js';

/** Options of {@link switchyard}. */
export interface SwitchyardMiddlewareOptions {
  /** The router every call goes through (one per app: it holds pools, breakers and budgets). */
  router: Router;
  /**
   * Finds who is calling: the key's name (never the key), the end user, tags. Budgets, rate
   * limits and the ledger count by it. Throw (e.g. a 401 `HttpError`) to refuse the request.
   * @default () => ({})
   * @example (ctx) => ({ user: ctx.state.user?.id, tags: ['summarize'] })
   */
  identify?: (ctx: Context) => Caller | Promise<Caller>;
  /**
   * Budgets added to every call of the request, or a function of the request and its caller.
   * A budget without `match` counts each value apart (each key, each user...).
   * @example [{ scope: 'user', usd: '1', period: 'day' }]
   */
  budgets?: readonly BudgetConfig[] | ((ctx: Context, caller: Caller) => readonly BudgetConfig[] | undefined);
  /** A cost ceiling in USD for every call of the request (the lower of it and `maxCostPerRequest` applies). */
  maxCostUsd?: string;
  /**
   * A provider policy every call of the request keeps (data policy, provider pins), or a function
   * of the request and its caller that finds it (a tenant's, say); a call's own `policy` is merged
   * with it, the stricter winning, as the route's and the model's are.
   * @example (ctx, caller) => (caller.key === 'eu-tenant' ? { data_collection: 'deny', zdr: true } : undefined)
   */
  policy?: ProviderPolicy | ((ctx: Context, caller: Caller) => ProviderPolicy | undefined);
}

/**
 * Koa middleware that puts a request-scoped client on `ctx.state.switchyard`: each call carries
 * the caller (`identify`), the budgets and the cost ceiling, is aborted when the client
 * disconnects, and sets the `x-switchyard-*` trace headers. Its errors are `SwitchyardError`s
 * with `status`, `expose` and `headers`, which Koa renders natively (or `openAIErrors()` in
 * OpenAI's JSON shape).
 *
 * @example
 * app.use(switchyard({ router, identify: (ctx) => ({ user: ctx.get('x-user-id') || undefined }) }));
 * app.use(async (ctx) => {
 *   const { response } = await ctx.state.switchyard.chat({ model: 'smart', messages });
 *   ctx.body = response.choices[0]?.message.content;
 * });
 */
export function switchyard(options: SwitchyardMiddlewareOptions): Middleware {
  const { router } = options;
  return async (ctx, next) => {
    const caller = (await options.identify?.(ctx)) ?? {};
    const budgets = typeof options.budgets === 'function' ? options.budgets(ctx, caller) : options.budgets;
    const { policy } = options;
    ctx.state.switchyard = createSwitchyardClient({
      ctx,
      router,
      identity: {
        caller,
        budgets: budgets ?? [],
        maxCostUsd: options.maxCostUsd,
        // A policy function is the core's to ask, once, with the caller.
        policy: typeof policy === 'function' ? (found) => policy(ctx, found) : policy,
      },
    });
    await next();
  };
}
