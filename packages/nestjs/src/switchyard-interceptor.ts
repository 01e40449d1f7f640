import type { IncomingMessage } from 'node:http';
import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable } from 'rxjs';
import { findRawResponse } from './raw-http.js';
import { createRequestScope, requestScopes } from './request-scope.js';
import { resolveRoutePolicy } from './resolve-route-policy.js';
import type { SwitchyardState } from './switchyard-state.js';
import { SWITCHYARD_STATE } from './switchyard-tokens.js';

/**
 * Runs each handler inside its request scope (AsyncLocalStorage), so that `SwitchyardService`
 * calls made while handling it get the handler's `@UseRoute()` and `@LlmBudget()`, the caller from
 * `identify(request)`, the client's disconnect as an abort, and put their routing trace in the
 * response's `x-switchyard-*` headers. `SwitchyardModule` registers it for the whole app (outside
 * HTTP, e.g. in microservice handlers, only the decorators apply).
 */
@Injectable()
export class SwitchyardInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(SWITCHYARD_STATE) private readonly state: SwitchyardState,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const policy = resolveRoutePolicy({
      reflector: this.reflector,
      controller: context.getClass(),
      handler: context.getHandler(),
    });
    const { state } = this;
    const response =
      context.getType() === 'http' ? findRawResponse(context.switchToHttp().getResponse()) : undefined;
    const scope =
      response !== undefined
        ? createRequestScope({
            policy,
            state,
            request: context.switchToHttp().getRequest<IncomingMessage>(),
            response,
          })
        : createRequestScope({ policy, state });
    // The handler runs when the observable is subscribed: subscribing inside the scope carries it
    // through every promise the handler awaits.
    return new Observable((subscriber) =>
      requestScopes.run(scope, () => next.handle().subscribe(subscriber)),
    );
  }
}
