import type { ErrorCode } from '../errors/error-codes.js';
import { SwitchyardError } from '../errors/switchyard-error.js';

const GATEWAY_ERROR_MARKER = Symbol.for('switchyard.gateway-error');

/** Options of a {@link GatewayError}. */
export interface GatewayErrorOptions {
  /** The error code; decides the status unless `status` is given. */
  code: ErrorCode;
  /** A message for the client: it never holds a secret. */
  message: string;
  /** HTTP status override; by default the status of `code` in `ERROR_RULES`. */
  status?: number;
  /** The request field at fault, when one is. */
  param?: string;
  /** HTTP headers to send with the answer (e.g. `Allow`). */
  headers?: Record<string, string>;
}

/**
 * An error the gateway answers with, before or around the router (bad body, bad key, wrong method,
 * client gone). A `SwitchyardError` whose message is always shown, with the field at fault.
 */
export class GatewayError extends SwitchyardError {
  /** The request field at fault, when one is. */
  readonly param: string | undefined;

  constructor(options: GatewayErrorOptions) {
    super({
      code: options.code,
      message: options.message,
      expose: true,
      ...(options.status === undefined ? {} : { status: options.status }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
    });
    this.name = 'GatewayError';
    this.param = options.param;
    Object.defineProperty(this, GATEWAY_ERROR_MARKER, { value: true });
  }

  /** True for a GatewayError, even one from another copy of the package. */
  static override isInstance(value: unknown): value is GatewayError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[GATEWAY_ERROR_MARKER] === true
    );
  }
}
