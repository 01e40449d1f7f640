import {
  Controller,
  Delete,
  Get,
  Inject,
  Options,
  Patch,
  Post,
  Put,
  Req,
  Res,
  type Type,
} from '@nestjs/common';
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
  /** `POST <path>/embeddings`: OpenAI's embeddings, float or base64. */
  embeddings(request: unknown, response: unknown): Promise<void>;
  /** `POST <path>/responses`: OpenAI's Responses API, JSON or its event stream. */
  responses(request: unknown, response: unknown): Promise<void>;
  /** `POST <path>/messages`: Anthropic's Messages API, JSON or its event stream. */
  messages(request: unknown, response: unknown): Promise<void>;
  /** `POST <path>/messages/count_tokens`: the input tokens of a Messages request. */
  countTokens(request: unknown, response: unknown): Promise<void>;
  /** `GET <path>/models`: the routes and aliases the caller's key may use, with prices. */
  models(request: unknown, response: unknown): Promise<void>;
  /** `GET <path>/models/{id}`: one of them (the id may hold `/`), or a 404. */
  model(request: unknown, response: unknown): Promise<void>;
  /** True when no gateway key is configured: anyone who can reach the endpoints may use them. */
  readonly open: boolean;
}

const CHAT_COMPLETIONS = '/chat/completions';
const EMBEDDINGS = '/embeddings';
const RESPONSES = '/responses';
const MESSAGES = '/messages';
const COUNT_TOKENS = '/messages/count_tokens';
/** The `POST` endpoints, the longest first (`/messages/count_tokens` before `/messages`). */
const POSTS = [CHAT_COMPLETIONS, EMBEDDINGS, RESPONSES, COUNT_TOKENS, MESSAGES];
const MODELS = '/models';
/**
 * Nest's routes of `GET <path>/models/{id}`, in a syntax both Express and Fastify read: an id with
 * a `/` fits either as the openai SDK sends it (`openai%2Fgpt-4o-mini`, one segment) or as is
 * (`openai/gpt-4o-mini`, two); a wildcard would need another syntax on each platform.
 */
const MODEL = ['models/:id', 'models/:owner/:id'];
const POST_ROUTES = POSTS.map((path) => path.slice(1));
const PATHS = [...POST_ROUTES, 'models', ...MODEL];

/**
 * The endpoint path of a request to the controller mounted at `base` (`v1`), as the gateway takes
 * it: `/chat/completions` (or another `POST` endpoint), `/models`, or `/models/openai%2Fgpt-4o-mini` with the id as it came
 * (undecoded; Nest's router matched the path ignoring case and a trailing slash).
 */
function endpointPath(url: string | undefined, base: string): string {
  const path = (url ?? '').split('?')[0] ?? '';
  const mount = base.replace(/^\/+|\/+$/g, '');
  const models = `${mount === '' ? '' : `/${mount}`}${MODELS}`;
  const start = path.toLowerCase().indexOf(models.toLowerCase());
  if (start === -1) {
    const lower = path.toLowerCase().replace(/\/+$/, '');
    return POSTS.find((post) => lower.endsWith(post)) ?? CHAT_COMPLETIONS;
  }
  const rest = path.slice(start + models.length);
  return rest.length > 1 && rest.startsWith('/') ? `${MODELS}${rest}` : MODELS;
}

/**
 * Makes a controller serving OpenAI's endpoints over the module's router: `POST
 * <path>/chat/completions` (JSON or SSE), `POST <path>/embeddings`, `POST <path>/responses` (the
 * Responses API), `POST <path>/messages` and `<path>/messages/count_tokens` (Anthropic's Messages
 * API, its errors in Anthropic's shape), `GET <path>/models` and `GET <path>/models/{id}` (CORS
 * preflights: the config's `cors`; other methods: 405). Nest routes each method to it; it hands
 * Node's request and response to the core's shared Node bridge (`createGateway`), which reads the
 * body (gzip, deflate and br decompressed; 413 past `gateway.bodyLimitBytes`), authenticates
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
  const base = options.path ?? 'v1';

  @Controller(base)
  class SwitchyardOpenAIController implements OpenAIController {
    private readonly gateway: Gateway;

    constructor(@Inject(SWITCHYARD_STATE) state: SwitchyardState) {
      this.gateway = createGateway({
        keys: state.config.keys,
        cors: state.config.cors,
        requestLimits: state.config.requestLimits,
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

    @Post('embeddings')
    embeddings(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response, path: EMBEDDINGS });
    }

    @Post('responses')
    responses(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response, path: RESPONSES });
    }

    @Post('messages')
    messages(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response, path: MESSAGES });
    }

    @Post('messages/count_tokens')
    countTokens(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response, path: COUNT_TOKENS });
    }

    @Get('models')
    models(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response, path: MODELS });
    }

    @Get(MODEL)
    model(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response });
    }

    // Other methods, one handler each, which the gateway answers (CORS preflights, else 405):
    // Fastify takes neither `@All()` next to `@Post()` on one path nor one handler for several
    // methods.
    @Get(POST_ROUTES)
    getOnPostEndpoints(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response });
    }

    @Post(['models', ...MODEL])
    postModels(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response });
    }

    @Put(PATHS)
    put(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response });
    }

    @Patch(PATHS)
    patch(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response });
    }

    @Delete(PATHS)
    delete(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response });
    }

    @Options(PATHS)
    options(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      return this.serve({ request, response });
    }

    /** Hands the request to the gateway as the endpoint Nest routed it to (by default, by its path). */
    private async serve(input: { request: unknown; response: unknown; path?: string }): Promise<void> {
      const request = rawRequest(input.request);
      const path = input.path ?? endpointPath(request.url, base);
      await this.gateway.handle(request, rawResponse(input.response, { hijack: true }), path);
    }
  }
  return SwitchyardOpenAIController;
}
