import { openAIErrorType } from '../errors/error-codes.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { GatewayError } from './gateway-error.js';

/** OpenAI's error body. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

/** An error as an HTTP answer: its status, its headers, and OpenAI's error body. */
export interface OpenAIErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: OpenAIErrorBody;
}

/**
 * Translates anything thrown into an HTTP status, headers and OpenAI's error JSON. Switchyard errors
 * keep their status and headers (`Retry-After`), their type comes from `ERROR_RULES`, and a message
 * not meant for clients becomes `internal error`; an exposed http-errors error keeps its status,
 * message and headers; anything else is a 500 whose message is not shown.
 */
export function toOpenAIError(error: unknown): OpenAIErrorAnswer {
  if (SwitchyardError.isInstance(error)) {
    return {
      status: error.status,
      headers: error.headers,
      body: {
        error: {
          message: error.expose ? error.message : 'internal error',
          type: openAIErrorType(error),
          code: error.code,
          param: GatewayError.isInstance(error) ? (error.param ?? null) : null,
        },
      },
    };
  }
  const shaped = error as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
    message?: unknown;
    headers?: unknown;
    type?: unknown;
  };
  const status =
    typeof shaped?.status === 'number'
      ? shaped.status
      : typeof shaped?.statusCode === 'number'
        ? shaped.statusCode
        : undefined;
  if (
    status !== undefined &&
    status >= 400 &&
    status < 600 &&
    shaped.expose === true &&
    typeof shaped.message === 'string'
  ) {
    // An http-errors error (Koa's ctx.throw, body parsers): its status and message are meant for the client.
    const headers =
      typeof shaped.headers === 'object' && shaped.headers !== null
        ? (shaped.headers as Record<string, string>)
        : {};
    const code = typeof shaped.type === 'string' ? shaped.type : null;
    return {
      status,
      headers,
      body: { error: { message: shaped.message, type: openAIErrorType({ status }), code, param: null } },
    };
  }
  return {
    status: 500,
    headers: {},
    body: { error: { message: 'internal error', type: 'api_error', code: null, param: null } },
  };
}
