import type { Caller, Router } from '@switchyard/core';
import { createMiddleware, type ModelRequest } from 'langchain';
import { ChatSwitchyard } from '../chat-switchyard.js';
import type { ChatSwitchyardFields } from '../chat-switchyard-options.js';
import { type SwitchyardResponseMetadata, switchyardMetadata } from '../routing-metadata.js';

/** Options of {@link switchyardMiddleware}. */
export interface SwitchyardMiddlewareOptions
  extends Omit<ChatSwitchyardFields, 'router' | 'config' | 'routerOptions' | 'model' | 'identity'> {
  /** The router that serves the agent's model calls. */
  router: Router;
  /**
   * The route (or alias, or model id) of each model call: a name, or a function of the agent's
   * model request (its messages, tools, state and runtime), e.g. a cheap route while tools run
   * and a cascade for the final answer.
   * @example (request) => (request.messages.at(-1)?.type === 'tool' ? 'thrifty' : 'smart')
   */
  route: string | ((request: ModelRequest) => string);
  /**
   * Who is calling, per model call (core's `caller`: `key`, `user`, `tags`), for budgets, rate
   * limits and the ledger; e.g. from the agent's runtime context.
   * @example (request) => ({ user: (request.runtime.context as { userId: string }).userId })
   */
  identity?: (request: ModelRequest) => Caller | undefined;
  /** Called after each model call with its routing metadata (served model, attempts, cost, trace). */
  onResult?: (metadata: SwitchyardResponseMetadata, request: ModelRequest) => void;
}

/**
 * A LangChain v1 agent middleware (`createAgent({ middleware: [...] })`) that sends every model
 * call of the agent through Switchyard: the agent's own model is replaced by a `ChatSwitchyard`
 * on the chosen route, so tools, structured responses and streaming keep working while routing,
 * fallback, cascades, budgets and pricing happen inside the router.
 *
 * @example
 * const agent = createAgent({
 *   model: new ChatSwitchyard({ router, model: 'default' }),
 *   tools: [getWeather],
 *   middleware: [switchyardMiddleware({ router, route: 'smart' })],
 * });
 */
export function switchyardMiddleware(options: SwitchyardMiddlewareOptions) {
  const { router, route, identity, onResult, ...fields } = options;
  const models = new Map<string, ChatSwitchyard>();
  const modelFor = (name: string, caller: Caller | undefined): ChatSwitchyard => {
    if (caller !== undefined) return new ChatSwitchyard({ ...fields, router, model: name, identity: caller });
    let model = models.get(name);
    if (model === undefined) {
      model = new ChatSwitchyard({ ...fields, router, model: name });
      models.set(name, model);
    }
    return model;
  };
  return createMiddleware({
    name: 'SwitchyardMiddleware',
    wrapModelCall: async (request, handler) => {
      const name = typeof route === 'function' ? route(request) : route;
      const message = await handler({ ...request, model: modelFor(name, identity?.(request)) });
      const metadata = switchyardMetadata(message);
      if (metadata !== undefined) onResult?.(metadata, request);
      return message;
    },
  });
}
