import { Inject, Injectable } from '@nestjs/common';
import type {
  Caller,
  CallOptions,
  ChatRequest,
  ChatResult,
  EmbeddingRequest,
  EmbeddingResult,
  RoutedStream,
  Router,
  RoutingTrace,
  SwitchyardConfig,
} from '@switchyard/core';
import { createRequestClient, type RequestClient } from '@switchyard/core/node';
import { requestScopes, withPolicy } from './request-scope.js';
import type { SwitchyardState } from './switchyard-state.js';
import { SWITCHYARD_STATE } from './switchyard-tokens.js';

/** A chat request whose `model` may be left to the handler's `@UseRoute()`. */
export type SwitchyardChatRequest = Omit<ChatRequest, 'model'> & {
  /** A route, an alias or a model id; by default the handler's `@UseRoute()`. */
  model?: string;
};

/** An embeddings request whose `model` may be left to the handler's `@UseRoute()`. */
export type SwitchyardEmbeddingRequest = Omit<EmbeddingRequest, 'model'> & {
  /** A route, an alias or a model id; by default the handler's `@UseRoute()`. */
  model?: string;
};

/** Options of one call through {@link SwitchyardService}: the router's call options, plus tags. */
export interface SwitchyardCallOptions extends Omit<CallOptions, 'caller'> {
  /** Tags for this call, added to the caller's (budgets and the ledger count by them). */
  tags?: readonly string[];
  /**
   * Who is calling, over what `identify` found (e.g. in a queue worker, where there is no request).
   * @default the request's caller, or anonymous outside a request
   */
  caller?: Caller;
}

/**
 * Calls LLMs through the module's router. Inside a request (see `SwitchyardInterceptor`) every call
 * takes the handler's `@UseRoute()` and `@LlmBudget()`, the caller from `identify(request)`, is
 * aborted when the client disconnects, and adds its routing trace to the response's
 * `x-switchyard-*` headers. Errors are the core's `RoutingError`s; `SwitchyardExceptionFilter`
 * renders them as OpenAI-shaped HTTP errors (402, 404, 429, 502, ...).
 * @example
 * @Injectable()
 * export class TitleService {
 *   constructor(private readonly switchyard: SwitchyardService) {}
 *   async title(text: string) {
 *     const { response } = await this.switchyard.chat({ model: 'smart', messages: [{ role: 'user', content: text }] });
 *     return response.choices[0]?.message.content;
 *   }
 * }
 */
@Injectable()
export class SwitchyardService {
  constructor(@Inject(SWITCHYARD_STATE) private readonly state: SwitchyardState) {}

  /** The core router (also injectable with `@InjectSwitchyard()`). */
  get router(): Router {
    return this.state.router;
  }

  /** The validated configuration the router runs. */
  get config(): SwitchyardConfig {
    return this.state.config;
  }

  /** The trace of every call made so far while handling the current request (empty outside one). */
  traces(): readonly RoutingTrace[] {
    return requestScopes.getStore()?.traces ?? [];
  }

  /** Sends a chat request through its route (see the core's `Router.chat`). */
  async chat(request: SwitchyardChatRequest, options?: SwitchyardCallOptions): Promise<ChatResult> {
    const { client, model } = this.prepare(request);
    return client.chat({ ...request, model } as ChatRequest, options);
  }

  /**
   * Streams a chat request (see the core's `Router.stream`); resolves at the first content chunk.
   * Write it as SSE with `writeChatStream(response, stream)` from `@switchyard/core/node`.
   */
  async stream(request: SwitchyardChatRequest, options?: SwitchyardCallOptions): Promise<RoutedStream> {
    const { client, model } = this.prepare(request);
    return client.stream({ ...request, model } as ChatRequest, options);
  }

  /**
   * Embeds texts or token arrays through a route (see the core's `Router.embed`), with the
   * handler's `@UseRoute()`, budgets and caller, as `chat` does.
   * @example const { response } = await this.switchyard.embed({ model: 'embed', input: ['a text'] });
   */
  async embed(
    request: SwitchyardEmbeddingRequest,
    options?: SwitchyardCallOptions,
  ): Promise<EmbeddingResult> {
    const { client, model } = this.prepare(request);
    return client.embed({ ...request, model } as EmbeddingRequest, options);
  }

  /**
   * The model of a call (the handler's `@UseRoute()` when it names none, or always with
   * `override`) and the request client it goes through: the request's, or outside a request one
   * for this call with the module's budgets and ceiling.
   */
  private prepare(request: { model?: string }): { client: RequestClient; model: string } {
    const scope = requestScopes.getStore();
    const policy = scope?.policy;
    const model = policy?.override === true ? policy.route : (request.model ?? policy?.route);
    if (model === undefined) {
      throw new TypeError(
        'SwitchyardService: the request names no model and the handler has no @UseRoute() to take it from',
      );
    }
    const { budgets, maxCostUsd, policy: modulePolicy } = this.state.options;
    const client =
      scope?.client() ??
      createRequestClient({
        router: this.router,
        caller: {},
        ...(budgets === undefined ? {} : { budgets }),
        ...(maxCostUsd === undefined ? {} : { maxCostUsd }),
        // Outside a request there is no request to ask: only a policy object applies.
        ...withPolicy(typeof modulePolicy === 'function' ? undefined : modulePolicy),
      });
    return { client, model };
  }
}
