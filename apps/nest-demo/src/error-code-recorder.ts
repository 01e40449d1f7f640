import type { IncomingMessage } from 'node:http';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { catchError, type Observable, throwError } from 'rxjs';
import { errorCodes } from './request-logger.js';

/** Notes the `code` of the error a handler failed with, for the request's log line. */
@Injectable()
export class ErrorCodeRecorder implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'string') {
          errorCodes.set(context.switchToHttp().getRequest<IncomingMessage>(), code);
        }
        return throwError(() => error);
      }),
    );
  }
}
