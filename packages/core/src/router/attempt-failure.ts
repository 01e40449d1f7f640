import { AttemptError } from '../errors/attempt-error.js';
import { classifyThrown, type FailureSource } from '../outcome/classify-failure.js';
import type { CancelSignal } from '../transport/cancel-signal.js';
import { ResponseTooLarge } from '../transport/response-too-large.js';
import { Interruption } from './interruption.js';

/**
 * Turns whatever an attempt threw into an {@link AttemptError}, or the {@link Interruption} that
 * stopped it: the attempt's own timeout and a stall are `timeout` failures of the target; any other
 * interruption (caller, deadline, hedge) is returned as it is.
 */
export function toFailure(
  error: unknown,
  signal: CancelSignal,
  options: { source: FailureSource; attemptMs: number; stallMs: number },
): AttemptError | Interruption {
  if (error instanceof AttemptError) return error;
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  const tooLarge = ResponseTooLarge.isInstance(error) ? error : reason;
  if (ResponseTooLarge.isInstance(tooLarge)) {
    return new AttemptError({
      code: 'upstream_too_large',
      message: `${options.source.label} ${tooLarge.message}`,
      cause: tooLarge,
    });
  }
  if (Interruption.isInstance(reason)) {
    if (reason.kind === 'attempt_timeout') {
      return new AttemptError({
        code: 'timeout',
        message: `${options.source.label} did not answer within ${options.attemptMs} ms`,
        cause: error,
      });
    }
    if (reason.kind === 'stall') {
      return new AttemptError({
        code: 'timeout',
        message: `${options.source.label} stalled: no data for ${options.stallMs} ms`,
        cause: error,
      });
    }
    return reason;
  }
  if (AttemptError.isInstance(error)) return error;
  return classifyThrown(error, options.source);
}
