import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { SwitchyardError } from '@switchyard/core';
import { GatewayError, renderError } from '@switchyard/core/node';
import { rawResponse } from './raw-http.js';

/**
 * The `GatewayError` a middleware passed to `next()`, which Nest's Express adapter hands on wrapped
 * in an `HttpException` (it wraps every error shaped like an `http-errors` one, as Switchyard's are).
 */
function wrappedGatewayError(value: unknown): GatewayError | undefined {
  return value instanceof HttpException && GatewayError.isInstance(value.cause) ? value.cause : undefined;
}

/**
 * For `@Catch()`: matches what {@link SwitchyardExceptionFilter} renders, Switchyard errors from
 * any copy of the core (`SwitchyardError.isInstance`; the Node bridge's `GatewayError`s are ones,
 * also when Nest wrapped one). Everything else goes on to the app's other filters and Nest's default.
 */
// biome-ignore lint/complexity/noStaticOnlyClass: `@Catch()` takes classes; `instanceof` asks this one.
class SwitchyardErrorLike {
  static [Symbol.hasInstance](value: unknown): boolean {
    return SwitchyardError.isInstance(value) || wrappedGatewayError(value) !== undefined;
  }
}

/**
 * Renders Switchyard errors as HTTP answers the way the Express and Koa adapters do, through the
 * core's `renderError`: the error's status (400, 401, 402, 403, 404, 429, 502, 504, ...), its
 * headers (`Retry-After`), OpenAI's error JSON `{ error: { message, type, code, param } }`, and for
 * a `RoutingError` the routing trace as `x-switchyard-*` headers (unless the handler's calls
 * already set them, adding up every call). A message that is not meant for clients becomes
 * `internal error` and is logged. A response already started is ended. `SwitchyardModule`
 * registers it for the whole app unless `errorFilter: false`.
 */
@Catch(SwitchyardErrorLike)
export class SwitchyardExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Switchyard');

  catch(exception: unknown, host: ArgumentsHost): void {
    // Outside HTTP this filter renders nothing: an RPC transport then falls back to its own
    // default handling (Nest's RPC handler does when a filter returns nothing).
    if (host.getType() !== 'http') return;
    const error = wrappedGatewayError(exception) ?? exception;
    const { status, body } = renderError(rawResponse(host.switchToHttp().getResponse()), error);
    if (status >= 500 && body.error.message === 'internal error') {
      this.logger.error((error as Error).message, (error as Error).stack);
    }
  }
}
