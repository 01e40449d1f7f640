import type { ServerResponse } from 'node:http';
import { Cancellation } from '../transport/cancel-signal.js';
import { GatewayError } from './gateway-error.js';

/**
 * A cancellation that aborts when the client goes away: the response closes before it finished.
 * Its reason is a 499 `client_closed` GatewayError; `detach` stops watching the response.
 */
export function abortOnClose(response: ServerResponse): { cancellation: Cancellation; detach: () => void } {
  const cancellation = new Cancellation();
  const onClose = (): void => {
    if (!response.writableFinished) {
      cancellation.abort(
        new GatewayError({ code: 'client_closed', message: 'client closed the connection' }),
      );
    }
  };
  response.on('close', onClose);
  return { cancellation, detach: () => response.off('close', onClose) };
}
