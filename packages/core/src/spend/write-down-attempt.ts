import type { Picodollars } from '../pricing/money.js';
import type { AttemptTrace, RoutingTrace } from '../trace/routing-trace.js';
import { attemptLedgerEntry } from './attempt-ledger-entry.js';
import type { SpendLedger } from './spend-ledger.js';
import type { Admission, SpendPolicy } from './spend-policy.js';

const ignore = (): undefined => undefined;

/**
 * Books a finished attempt's money: settles what its admission holds (budget reservation, rate
 * limit permit) at the attempt's cost, and appends its ledger entry. Writes to a remote store are
 * pushed to `pending`, for the router to await before the caller gets the outcome; they never reject (a store
 * keeps its own retry queue, and a late write nobody awaits must not become an unhandled
 * rejection), and a failing ledger never fails the request (the trace still carries the cost).
 */
export function writeDownAttempt(input: {
  record: AttemptTrace;
  trace: RoutingTrace;
  admission: Admission | undefined;
  /** The attempt's cost, fee included. */
  cost: Picodollars;
  spend: SpendPolicy;
  ledger: SpendLedger;
  /** Epoch ms now. */
  now: number;
  /** Where writes in flight go. */
  pending: Array<Promise<unknown>>;
  /** The upstream rate-limited the attempt for this long (its rate-limit counters stay exhausted). */
  limitedForMs?: number | undefined;
}): void {
  const { record, admission, pending: writes } = input;
  if (admission !== undefined) {
    const tokens = (record.usage?.promptTokens ?? 0) + (record.usage?.completionTokens ?? 0);
    const settled = input.spend.settle({
      admission,
      cost: input.cost,
      tokens,
      ...(input.limitedForMs === undefined ? {} : { limitedForMs: input.limitedForMs }),
    });
    if (settled !== undefined) writes.push(settled.catch(ignore));
  }
  try {
    const appended = input.ledger.append(attemptLedgerEntry({ record, trace: input.trace, time: input.now }));
    if (appended instanceof Promise) writes.push(appended.catch(ignore));
  } catch {
    // A failing ledger store must not fail the request.
  }
}
