import type { IncomingMessage } from 'node:http';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { SwitchyardService } from '@switchyard/nestjs';
import { catchError, type Observable, tap, throwError } from 'rxjs';
import { errorCodes, handlerTraces } from './request-logger.js';

/**
 * Notes what a handler did, for the request's log line: the routing traces of its calls through
 * `SwitchyardService`, and the `code` of the error it failed with.
 */
@Injectable()
export class HandlerRecorder implements NestInterceptor {
  constructor(private readonly switchyard: SwitchyardService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    // Asked when the handler is done, still inside its request scope.
    const noteTraces = (): void => void handlerTraces.set(request, this.switchyard.traces());
    return next.handle().pipe(
      tap({ next: noteTraces, complete: noteTraces }),
      catchError((error: unknown) => {
        noteTraces();
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'string') errorCodes.set(request, code);
        return throwError(() => error);
      }),
    );
  }
}
