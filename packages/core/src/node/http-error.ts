import { SwitchyardError } from '../errors/switchyard-error.js';

const GATEWAY_ERROR_MARKER = Symbol.for('switchyard.gateway-error');

/** An error the gateway answers with, before the router is involved (bad body, bad key...). */
export class GatewayError extends Error {
  readonly status: number;
  readonly expose = true;
  /** Machine-readable code in OpenAI's error shape. */
  readonly code: string;
  /** The request field at fault, when one is. */
  readonly param: string | undefined;
  readonly headers: Record<string, string>;

  constructor(options: {
    status: number;
    code: string;
    message: string;
    param?: string;
    headers?: Record<string, string>;
  }) {
    super(options.message);
    this.name = 'GatewayError';
    this.status = options.status;
    this.code = options.code;
    this.param = options.param;
    this.headers = options.headers ?? {};
    Object.defineProperty(this, GATEWAY_ERROR_MARKER, { value: true });
  }

  /** True for a GatewayError, even one from another copy of the package. */
  static isInstance(value: unknown): value is GatewayError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[GATEWAY_ERROR_MARKER] === true
    );
  }
}

/** OpenAI's error body. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'insufficient_quota',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
  499: 'request_aborted',
  504: 'timeout_error',
};

/**
 * Translates anything thrown into an HTTP status, headers and OpenAI's error JSON. Switchyard errors
 * keep their status and headers (`Retry-After`); anything else is a 500 whose message is not shown.
 */
export function toOpenAIError(error: unknown): {
  status: number;
  headers: Record<string, string>;
  body: OpenAIErrorBody;
} {
  if (GatewayError.isInstance(error)) {
    return {
      status: error.status,
      headers: error.headers,
      body: {
        error: {
          message: error.message,
          type: TYPES[error.status] ?? 'api_error',
          code: error.code,
          param: error.param ?? null,
        },
      },
    };
  }
  if (SwitchyardError.isInstance(error)) {
    const message = error.expose ? error.message : 'internal error';
    return {
      status: error.status,
      headers: error.headers,
      body: { error: { message, type: TYPES[error.status] ?? 'api_error', code: error.code, param: null } },
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
      body: { error: { message: shaped.message, type: TYPES[status] ?? 'api_error', code, param: null } },
    };
  }
  return {
    status: 500,
    headers: {},
    body: { error: { message: 'internal error', type: 'api_error', code: null, param: null } },
  };
}
