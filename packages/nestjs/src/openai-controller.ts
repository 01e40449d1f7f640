import { Controller, Delete, Get, Inject, Patch, Post, Put, Req, Res, type Type } from '@nestjs/common';
import { createGateway, type Gateway } from '@switchyard/core/node';
import { rawRequest, rawResponse } from './raw-http.js';
import type { SwitchyardState } from './switchyard-state.js';
import { SWITCHYARD_STATE } from './switchyard-tokens.js';

/** Options of {@link createOpenAIController}. */
export interface OpenAIControllerOptions {
  /**
   * Where the endpoints are mounted (below the app's global prefix, if any).
   * @default 'v1'
   */
  path?: string;
}

/** The controller {@link createOpenAIController} makes. */
export interface OpenAIController {
  /** `POST <path>/chat/completions`: JSON, or SSE with `stream: true`. */
  chatCompletions(request: unknown, response: unknown): Promise<void>;
  /** `GET <path>/models`: the routes and aliases the caller's key may use, with prices. */
  models(request: unknown, response: unknown): Promise<void>;
  /** True when no gateway key is configured: anyone who can reach the endpoints may use them. */
  readonly open: boolean;
}

const CHAT_COMPLETIONS = '/chat/completions';
const MODELS = '/models';

/**
 * Makes a controller serving OpenAI's endpoints over the module's router: `POST
 * <path>/chat/completions` (JSON or SSE) and `GET <path>/models` (other methods: 405). Nest routes
 * each method to it; it hands Node's request and response to the core's shared Node bridge
 * (`createGateway`), which reads the body (413 past `gateway.bodyLimitBytes`), authenticates
 * `Authorization: Bearer <key>` against the config's keys (401, 403), applies the key's budget,
 * writes JSON or SSE with backpressure, aborts the upstream when the client disconnects, and
 * answers errors and wrong methods in OpenAI's shape. Add it to a module's `controllers` where
 * `SwitchyardService` is available. Nest's JSON body parser is not needed (create the app with
 * `bodyParser: false`); if it ran, the parsed body is used.
 * @example
 * @Module({ imports: [SwitchyardModule.forRoot({ config })], controllers: [createOpenAIController()] })
 * export class AppModule {}
 */
export function createOpenAIController(options: OpenAIControllerOptions = {}): Type<OpenAIController> {
  @Controller(options.path ?? 'v1')
  class SwitchyardOpenAIController implements OpenAIController {
    private readonly gateway: Gateway;

    constructor(@Inject(SWITCHYARD_STATE) state: SwitchyardState) {
      this.gateway = createGateway({
        keys: state.config.keys,
        // Nest answers HEAD with the GET route, and says so in Allow.
        head: 'listed',
        ...state.options.gateway,
        router: state.router,
      });
    }

    get open(): boolean {
      return this.gateway.open;
    }

    @Post('chat/completions')
    chatCompletions(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response, path: CHAT_COMPLETIONS });
    }

    @Get('models')
    models(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response, path: MODELS });
    }

    // Wrong methods, one handler each, which the gateway answers with 405: Fastify takes neither
    // `@All()` next to `@Post()` on one path nor one handler for several methods.
    @Get('chat/completions')
    getChatCompletions(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response, path: CHAT_COMPLETIONS });
    }

    @Post('models')
    postModels(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response, path: MODELS });
    }

    @Put(['chat/completions', 'models'])
    put(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response });
    }

    @Patch(['chat/completions', 'models'])
    patch(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response });
    }

    @Delete(['chat/completions', 'models'])
    delete(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response });
    }

    /** Hands the request to the gateway as the endpoint Nest routed it to (by default, by its path). */
    private async serve(input: { request: unknown; response: unknown; path?: string }): Promise<void> {
      const request = rawRequest(input.request);
      const path =
        input.path ??
        ((request.url ?? '').split('?')[0]?.endsWith(MODELS) === true ? MODELS : CHAT_COMPLETIONS);
      await this.gateway.handle(request, rawResponse(input.response, { hijack: true }), path);
    }
  }
  return SwitchyardOpenAIController;
}
