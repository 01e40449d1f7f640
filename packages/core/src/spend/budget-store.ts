import type { Picodollars } from '../pricing/money.js';

/** One budget window to reserve against. */
export interface BudgetBucket {
  /** Unique per budget, scope value and window. */
  id: string;
  /** The budget in picodollars. */
  limit: Picodollars;
  /** Epoch ms when the window ends (the store may forget the bucket then). */
  expiresAt: number;
}

/** The outcome of a reservation. */
export type ReserveOutcome =
  | { ok: true; reservation: Reservation }
  | { ok: false; bucket: BudgetBucket; spent: Picodollars; reserved: Picodollars };

/** An amount held in several buckets until it is settled. */
export interface Reservation {
  readonly buckets: readonly BudgetBucket[];
  readonly amount: Picodollars;
}

/**
 * Port: atomic budget counters. `reserve` holds `amount` in every bucket or in none (when one
 * would pass its limit); `settle` replaces the held amount with the actual cost (0 to release).
 * The default keeps them in memory; a fleet uses a shared store.
 */
export interface BudgetStore {
  reserve(request: { buckets: readonly BudgetBucket[]; amount: Picodollars }): Promise<ReserveOutcome>;
  settle(reservation: Reservation, actual: Picodollars): Promise<void>;
  /** Spent and reserved amounts of a bucket, for reports. */
  usage(id: string): Promise<{ spent: Picodollars; reserved: Picodollars }>;
}

interface Counter {
  spent: Picodollars;
  reserved: Picodollars;
  expiresAt: number;
}

/** A {@link BudgetStore} in process memory: atomic because JavaScript runs one callback at a time. */
export function createMemoryBudgetStore(options: { now?: () => number } = {}): BudgetStore {
  const now = options.now ?? Date.now;
  const counters = new Map<string, Counter>();
  let sweepAt = 0;
  const counter = (bucket: BudgetBucket): Counter => {
    let found = counters.get(bucket.id);
    if (found === undefined) {
      found = { spent: 0n, reserved: 0n, expiresAt: bucket.expiresAt };
      counters.set(bucket.id, found);
    }
    return found;
  };
  const sweep = (): void => {
    const current = now();
    if (current < sweepAt) return;
    sweepAt = current + 60_000;
    for (const [id, found] of counters)
      if (found.expiresAt <= current && found.reserved === 0n) counters.delete(id);
  };
  return {
    async reserve({ buckets, amount }) {
      sweep();
      for (const bucket of buckets) {
        const found = counter(bucket);
        if (found.spent + found.reserved + amount > bucket.limit) {
          return { ok: false, bucket, spent: found.spent, reserved: found.reserved };
        }
      }
      for (const bucket of buckets) counter(bucket).reserved += amount;
      return { ok: true, reservation: { buckets, amount } };
    },
    async settle(reservation, actual) {
      for (const bucket of reservation.buckets) {
        const found = counter(bucket);
        found.reserved -= reservation.amount;
        found.spent += actual;
      }
    },
    async usage(id) {
      const found = counters.get(id);
      return { spent: found?.spent ?? 0n, reserved: found?.reserved ?? 0n };
    },
  };
}
