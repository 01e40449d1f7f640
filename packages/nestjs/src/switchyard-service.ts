import { Inject, Injectable } from '@nestjs/common';
import type {
  BudgetConfig,
  Caller,
  CallOptions,
  ChatRequest,
  ChatResult,
  RoutedStream,
  Router,
  SwitchyardConfig,
} from '@switchyard/core';
import { RoutingError, type RoutingTrace } from '@switchyard/core';
import { lowerCeiling } from './lower-ceiling.js';
import { type RequestScope, requestScopes } from './request-scope.js';
import type { SwitchyardState } from './switchyard-state.js';
import { SWITCHYARD_STATE } from './switchyard-tokens.js';

/** A chat request whose `model` may be left to the handler's `@UseRoute()`. */
export type SwitchyardChatRequest = Omit<ChatRequest, 'model'> & {
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

/** `AbortSignal` from the router's lighter `CancelSignal` as well. */
function toAbortSignal(signal: NonNullable<CallOptions['signal']>): AbortSignal {
  if (!('onAbort' in signal)) return signal;
  const controller = new AbortController();
  signal.onAbort((reason) => controller.abort(reason));
  return controller.signal;
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
  chat(request: SwitchyardChatRequest, options?: SwitchyardCallOptions): Promise<ChatResult> {
    return this.traced((scope) =>
      this.prepare({ scope, request, options }).then((call) => this.router.chat(call.request, call.options)),
    );
  }

  /**
   * Streams a chat request (see the core's `Router.stream`); resolves at the first content chunk.
   * Write it as SSE with `writeChatStream(response, stream)` from `@switchyard/core/node`.
   */
  stream(request: SwitchyardChatRequest, options?: SwitchyardCallOptions): Promise<RoutedStream> {
    return this.traced((scope) =>
      this.prepare({ scope, request, options }).then((call) =>
        this.router.stream(call.request, call.options),
      ),
    );
  }

  private async traced<T extends { trace: RoutingTrace }>(
    call: (scope: RequestScope | undefined) => Promise<T>,
  ): Promise<T> {
    const scope = requestScopes.getStore();
    try {
      const result = await call(scope);
      scope?.record(result.trace);
      return result;
    } catch (error) {
      const trace = RoutingError.isInstance(error) ? error.trace : undefined;
      if (trace !== undefined) scope?.record(trace);
      throw error;
    }
  }

  private async prepare(input: {
    scope: RequestScope | undefined;
    request: SwitchyardChatRequest;
    options: SwitchyardCallOptions | undefined;
  }): Promise<{ request: ChatRequest; options: CallOptions }> {
    const { scope, request } = input;
    const policy = scope?.policy;
    const model = policy?.override === true ? policy.route : (request.model ?? policy?.route);
    if (model === undefined) {
      throw new TypeError(
        'SwitchyardService: the request names no model and the handler has no @UseRoute() to take it from',
      );
    }
    const { tags, signal, budgets, maxCostUsd, caller: given, ...rest } = input.options ?? {};
    const identified = scope === undefined ? {} : await scope.caller();
    const caller: Caller = { ...identified, ...given };
    const allTags = [...new Set([...(identified.tags ?? []), ...(given?.tags ?? []), ...(tags ?? [])])];
    const module = this.state.options;
    const allBudgets: BudgetConfig[] = [
      ...(module.budgets ?? []),
      ...(policy?.budgets ?? []),
      ...(budgets ?? []),
    ];
    const ceiling = lowerCeiling(lowerCeiling(module.maxCostUsd, policy?.maxCostUsd), maxCostUsd);
    const disconnect = scope?.signal();
    const combined =
      disconnect === undefined || signal === undefined
        ? (signal ?? disconnect)
        : AbortSignal.any([toAbortSignal(signal), disconnect]);
    return {
      request: { ...request, model } as ChatRequest,
      options: {
        ...rest,
        caller: { ...caller, ...(allTags.length > 0 ? { tags: allTags } : {}) },
        ...(combined === undefined ? {} : { signal: combined }),
        ...(allBudgets.length > 0 ? { budgets: allBudgets } : {}),
        ...(ceiling === undefined ? {} : { maxCostUsd: ceiling }),
      },
    };
  }
}
