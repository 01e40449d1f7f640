import type { AttemptError } from '../errors/attempt-error.js';
import type { AttemptTrace } from '../trace/routing-trace.js';
import { Interruption } from './interruption.js';

/** How an attempt ended: it served, it failed with a classified outcome, or the router cut it off. */
export type AttemptEnd = 'success' | AttemptError | Interruption;

/** Writes how an attempt ended into its trace record: outcome and message. */
export function recordEnd(record: AttemptTrace, end: AttemptEnd): void {
  if (end === 'success') {
    record.outcome = 'success';
    return;
  }
  record.message = end.message;
  if (Interruption.isInstance(end)) {
    record.outcome = 'aborted';
    if (end.kind === 'hedge_loser') record.hedgeLoser = true;
  } else record.outcome = end.code;
}

/** Whether the upstream likely billed the prompt of an attempt that ended this way (cut off mid-call). */
export function billedUnanswered(end: AttemptEnd): boolean {
  return end !== 'success' && (Interruption.isInstance(end) || end.code === 'timeout');
}

/** How long the upstream said the target is rate-limited for, when the attempt ended that way. */
export function upstreamLimitMs(end: AttemptEnd): number | undefined {
  if (end === 'success' || Interruption.isInstance(end) || end.code !== 'rate_limited') return undefined;
  return end.retryAfterMs;
}
