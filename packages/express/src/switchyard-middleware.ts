import type { BudgetConfig, Caller, ProviderPolicy, Router } from '@switchyard/core';
import { createRequestClient, type RequestClient } from '@switchyard/core/node';
import type { Request, RequestHandler } from 'express';

/** The request-scoped client on `req.switchyard` (the core's request client). */
export type SwitchyardRequestClient = RequestClient;

declare global {
  namespace Express {
    interface Request {
      /** The request-scoped Switchyard client, set by the `switchyard()` middleware. */
      switchyard: SwitchyardRequestClient;
    }
  }
}

/** Options of {@link switchyard}. */
export interface SwitchyardMiddlewareOptions {
  /** The router every call goes through. */
  router: Router;
  /**
   * Finds who is calling: key name, end user and tags, for budgets, rate limits and the ledger.
   * @default () => ({}) (anonymous)
   * @example (req) => ({ user: req.get('x-user-id'), tags: ['web'] })
   */
  identify?: (request: Request) => Caller;
  /** Budgets applied to every call made through `req.switchyard` (on top of the configured ones). */
  budgets?: readonly BudgetConfig[];
  /** Cost ceiling of every call in USD, as a decimal string (the lower of it and a call's own applies). */
  maxCostUsd?: string;
  /**
   * A provider policy every call keeps (data policy, provider pins), or a function of the request
   * and its caller that finds it (a tenant's, say); a call's own `policy` is merged with it, the
   * stricter winning, as the route's and the model's are.
   * @example (req, caller) => (caller.key === 'eu-tenant' ? { data_collection: 'deny', zdr: true } : undefined)
   */
  policy?: ProviderPolicy | ((request: Request, caller: Caller) => ProviderPolicy | undefined);
}

/**
 * Express middleware that puts a request-scoped client on `req.switchyard`: handlers call LLMs
 * through the router with the caller's identity and budgets attached, and the response gets the
 * routing trace as `x-switchyard-*` headers.
 * @example
 * app.use(switchyard({ router, identify: (req) => ({ user: req.get('x-user-id') }) }));
 * app.post('/title', async (req, res) => {
 *   const { response } = await req.switchyard.chat({ model: 'smart', messages });
 *   res.json({ title: response.choices[0]?.message.content });
 * });
 */
export function switchyard(options: SwitchyardMiddlewareOptions): RequestHandler {
  const identify = options.identify ?? (() => ({}));
  return (request, response, next) => {
    const { policy } = options;
    request.switchyard = createRequestClient({
      router: options.router,
      caller: identify(request),
      response,
      ...(options.budgets === undefined ? {} : { budgets: options.budgets }),
      ...(options.maxCostUsd === undefined ? {} : { maxCostUsd: options.maxCostUsd }),
      // A policy function is the core's to ask, once, with the caller.
      ...(policy === undefined
        ? {}
        : { policy: typeof policy === 'function' ? (caller) => policy(request, caller) : policy }),
    });
    next();
  };
}
