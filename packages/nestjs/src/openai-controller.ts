import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Delete, Get, Inject, Patch, Post, Put, Req, Res, type Type } from '@nestjs/common';
import { createGateway, type Gateway, GatewayError, toOpenAIError } from '@switchyard/core/node';
import { rawRequest, rawResponse } from './raw-http.js';
import type { SwitchyardState } from './switchyard-state.js';
import { SWITCHYARD_STATE } from './switchyard-tokens.js';

/** Answers a wrong method on an endpoint with 405, `Allow` and OpenAI's error JSON. */
function methodNotAllowed(input: {
  request: IncomingMessage;
  response: ServerResponse;
  allow: string;
}): void {
  const { request, response, allow } = input;
  const { status, headers, body } = toOpenAIError(
    new GatewayError({
      status: 405,
      code: 'method_not_allowed',
      message: `${request.method} ${(request.url ?? '').split('?')[0]} is not allowed; use ${allow}`,
      headers: { allow },
    }),
  );
  const json = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(json)),
  });
  response.end(json);
}

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
  /** `GET`, `PUT`, `PATCH` or `DELETE` on `chat/completions`, or another method than `GET` on `models`: 405 with `Allow`. */
  wrongMethod(request: unknown, response: unknown): void;
  /** True when no gateway key is configured: anyone who can reach the endpoints may use them. */
  readonly open: boolean;
}

/**
 * Makes a controller serving OpenAI's endpoints over the module's router: `POST
 * <path>/chat/completions` (JSON or SSE) and `GET <path>/models` (other methods: 405). It hands Node's request and
 * response to the core's shared Node bridge (`createGateway`), which reads the body (413 past
 * `gateway.bodyLimitBytes`), authenticates `Authorization: Bearer <key>` against the config's keys
 * (401, 403), applies the key's budget, writes JSON or SSE with backpressure, aborts the upstream
 * when the client disconnects, and answers errors in OpenAI's shape. Add it to a module's
 * `controllers` where `SwitchyardService` is available. Nest's JSON body parser is not needed
 * (create the app with `bodyParser: false`); if it ran, the parsed body is used.
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
        ...state.options.gateway,
        router: state.router,
      });
    }

    get open(): boolean {
      return this.gateway.open;
    }

    @Post('chat/completions')
    chatCompletions(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.gateway.chatCompletions(rawRequest(request), rawResponse(response, { hijack: true }));
    }

    @Get('models')
    models(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.gateway.models(rawRequest(request), rawResponse(response, { hijack: true }));
    }

    // Wrong methods, one handler each: Fastify takes neither `@All()` next to `@Post()` on one path
    // nor one handler for several methods.
    @Get('chat/completions')
    getChatCompletions(@Req() request: unknown, @Res() response: unknown): void {
      this.wrongMethod(request, response);
    }

    @Post('models')
    postModels(@Req() request: unknown, @Res() response: unknown): void {
      this.wrongMethod(request, response);
    }

    @Put(['chat/completions', 'models'])
    put(@Req() request: unknown, @Res() response: unknown): void {
      this.wrongMethod(request, response);
    }

    @Patch(['chat/completions', 'models'])
    patch(@Req() request: unknown, @Res() response: unknown): void {
      this.wrongMethod(request, response);
    }

    @Delete(['chat/completions', 'models'])
    delete(@Req() request: unknown, @Res() response: unknown): void {
      this.wrongMethod(request, response);
    }

    wrongMethod(request: unknown, response: unknown): void {
      const raw = rawRequest(request);
      methodNotAllowed({
        request: raw,
        response: rawResponse(response, { hijack: true }),
        allow: (raw.url ?? '').split('?')[0]?.endsWith('/models') === true ? 'GET, HEAD' : 'POST',
      });
    }
  }
  return SwitchyardOpenAIController;
}
