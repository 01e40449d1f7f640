import { randomBytes } from 'node:crypto';
import {
  type BudgetBucket,
  type BudgetStore,
  createMemoryBudgetStore,
  type Reservation,
  StoreUnavailableError,
} from '@switchyard/core';
import type { RedisConnection } from './redis-connection.js';
import { singleFlight } from './single-flight.js';
import type { WriteCombiner } from './write-combiner.js';

/** How long a reservation holds its amount if its replica dies before settling it. */
const DEFAULT_LEASE_MS = 10 * 60_000;
/** Buckets stay readable for reports this long after their window ends. */
const REPORT_GRACE_MS = 24 * 3_600_000;

interface RedisReservation extends Reservation {
  readonly id: string;
}

/**
 * Budget counters in Redis: one hash per bucket, reserved and settled by Lua scripts (one round
 * trip each), so the fleet shares one budget. Settlements that cannot reach Redis are queued and
 * replayed when it is back (each is applied once). Fail open: reservations made while Redis is
 * down go to a per-process memory store instead.
 */
export function createRedisBudgetStore(
  connection: RedisConnection,
  options: { writes: WriteCombiner; leaseMs?: number; awaitWrites?: boolean },
): BudgetStore & { pendingSettlements(): number; drain(): Promise<void> } {
  const { redis, keys, failMode } = connection;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const local = createMemoryBudgetStore();
  const localReservations = new WeakSet<Reservation>();
  const queue: Array<{ reservation: RedisReservation; actual: bigint }> = [];
  const keyOf = (bucket: BudgetBucket): string => keys.budget(bucket.id);
  let idSequence = 0;
  const idBase = randomBytes(6).toString('base64url');

  const settleInRedis = (reservation: RedisReservation, actual: bigint): Promise<unknown> =>
    options.writes.settle(reservation.buckets.map(keyOf), reservation.id, actual.toString());

  const replay = singleFlight(async () => {
    while (queue.length > 0 && connection.available()) {
      const next = queue[0];
      if (next === undefined) break;
      try {
        await settleInRedis(next.reservation, next.actual);
        queue.shift();
      } catch (error) {
        connection.failed('budget settlement replay', error);
        return;
      }
    }
  });
  connection.onReady(() => void replay());
  connection.onRetry(() => {
    if (queue.length > 0) void replay();
  });

  const unavailable = (error: unknown): StoreUnavailableError =>
    new StoreUnavailableError({
      message: `the budget store (Redis) did not answer (${connection.describe(error)}); the request was refused rather than served over budget`,
      cause: error,
    });

  return {
    async reserve({ buckets, amount }) {
      if (!connection.available()) {
        // Not sent at all: nothing to release later.
        if (failMode === 'closed') throw unavailable(new Error('not connected'));
        const outcome = await local.reserve({ buckets, amount });
        if (outcome.ok) localReservations.add(outcome.reservation);
        return outcome;
      }
      const id = `${idBase}${(idSequence++).toString(36)}`;
      let result: Array<string | number>;
      try {
        const [reserved] = connection.write([
          {
            command: 'syReserve',
            args: [
              buckets.length,
              ...buckets.map(keyOf),
              amount.toString(),
              id,
              leaseMs,
              ...buckets.map((bucket) => bucket.limit.toString()),
              ...buckets.map((bucket) => bucket.expiresAt + REPORT_GRACE_MS),
            ],
          },
        ]);
        result = (await reserved) as Array<string | number>;
      } catch (error) {
        // It may have been made all the same (a timeout, or a write not replicated in time): a
        // release (settling nothing, applied once) frees it once Redis answers, instead of holding
        // the amount of a refused request until its lease ends.
        queue.push({ reservation: { buckets, amount, id }, actual: 0n });
        connection.failed('budget reservation', error);
        if (failMode === 'closed') throw unavailable(error);
        const outcome = await local.reserve({ buckets, amount });
        if (outcome.ok) localReservations.add(outcome.reservation);
        return outcome;
      }
      const index = Number(result[0]);
      if (index === 0) {
        const reservation: RedisReservation = { buckets, amount, id };
        return { ok: true, reservation };
      }
      const bucket = buckets[index - 1] as BudgetBucket;
      return { ok: false, bucket, spent: BigInt(result[1] ?? 0), reserved: BigInt(result[2] ?? 0) };
    },

    settle(reservation, actual) {
      if (localReservations.has(reservation)) return local.settle(reservation, actual);
      const shared = reservation as RedisReservation;
      if (queue.length > 0 || !connection.available()) {
        queue.push({ reservation: shared, actual });
        return Promise.resolve();
      }
      const settled = settleInRedis(shared, actual).then(
        () => undefined,
        (error: unknown) => {
          // Never lost: kept until Redis answers again (a replay of an applied settlement is a no-op).
          connection.failed('budget settlement', error);
          queue.push({ reservation: shared, actual });
        },
      );
      return options.awaitWrites === false ? Promise.resolve() : settled;
    },

    async usage(id) {
      try {
        const [spent, reserved] = await redis.hmget(keys.budget(id), 'spent', 'reserved');
        return { spent: BigInt(spent ?? 0), reserved: BigInt(reserved ?? 0) };
      } catch (error) {
        throw unavailable(error);
      }
    },

    pendingSettlements: () => queue.length,
    drain: replay,
  };
}
