import { SwitchyardError } from '@switchyard/core';
import { errorAnswer, GatewayError } from '@switchyard/core/node';
import type { Context, Middleware } from 'koa';

interface HttpErrorLike {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
  headers?: unknown;
  code?: unknown;
}

const isHeaders = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  Object.values(value).every((header) => typeof header === 'string');

/**
 * A Koa `HttpError` (`ctx.throw(400, 'bad')`, `http-errors`, a body parser's 413) as an
 * `http_error` gateway error with its status, message and headers, so the core renders it. Anything
 * else passes through unchanged (and becomes a 500 whose message is not shown).
 */
function fromHttpError(error: unknown): unknown {
  if (SwitchyardError.isInstance(error)) return error;
  if (typeof error !== 'object' || error === null) return error;
  const candidate = error as HttpErrorLike;
  const status = candidate.status ?? candidate.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 599 || candidate.expose !== true) return error;
  return new GatewayError({
    status,
    code: 'http_error',
    message: typeof candidate.message === 'string' ? candidate.message : 'request failed',
    headers: isHeaders(candidate.headers) ? candidate.headers : {},
  });
}

/**
 * Writes an error on a Koa context as OpenAI's error JSON, with its status, its headers
 * (`Retry-After`) and, for a routing error, the `x-switchyard-*` trace headers (the core's
 * `errorAnswer`). Internal errors (a 500 whose message is not exposed) are also emitted on the
 * app's `error` event, as Koa does.
 */
export function renderOpenAIError(ctx: Context, error: unknown): void {
  const translated = fromHttpError(error);
  const { status, headers, body } = errorAnswer(translated);
  // An HttpError that names its own code (`ctx.throw(400, 'bad', { code: 'bad_thing' })`) keeps it.
  const ownCode = translated === error ? undefined : (error as HttpErrorLike).code;
  if (typeof ownCode === 'string') body.error.code = ownCode;
  if (status >= 500 && (error as HttpErrorLike | null)?.expose !== true) ctx.app.emit('error', error, ctx);
  if (ctx.headerSent || !ctx.writable) return;
  ctx.status = status;
  ctx.set(headers);
  ctx.body = body;
}

/**
 * Koa middleware that renders whatever the next middleware throws in OpenAI's error shape
 * (`{ error: { message, type, code, param } }`) instead of Koa's plain text. Mount it in front of
 * API routes whose clients are OpenAI-style SDKs.
 *
 * Switchyard errors keep their `status` and `headers`; Koa `HttpError`s (`ctx.throw(404)`) keep
 * theirs and show their message when `expose` is true; anything else is a 500 whose message is
 * hidden from the client.
 *
 * @example
 * api.use(openAIErrors());
 * api.post('/summarize', switchyard({ router }), summarize);
 */
export function openAIErrors(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      renderOpenAIError(ctx, error);
    }
  };
}
