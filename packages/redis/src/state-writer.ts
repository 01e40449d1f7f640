import { Cluster } from 'ioredis';
import type { ScriptedRedis } from './redis-connection.js';

/**
 * One write of budget or ledger state: a script or command of the client, by name (`exists`: a
 * read that checks the slot answers as writes would, replicas included).
 */
export interface StateWrite {
  command: 'syReserve' | 'sySettle' | 'sySettleAndAppend' | 'xadd' | 'exists';
  args: Array<string | number>;
}

/** How many replicas must have a write before it counts, and how long to wait for them. */
export interface WaitForReplicas {
  count: number;
  timeoutMs: number;
}

/** Sends writes of one slot; each promise settles with its own write's reply. */
export type StateWriter = (writes: readonly StateWrite[]) => Array<Promise<unknown>>;

type PipelineReplies = Array<[error: Error | null, result: unknown]>;
/** Replies of a Cluster node that did not run the command: it is safe to send again. */
const NOT_APPLIED = /^(MOVED|TRYAGAIN|CLUSTERDOWN) /;
const MAX_REDIRECTIONS = 10;
const REDIRECTION_DELAY_MS = 100;

type Send = (...args: Array<string | number>) => Promise<unknown>;
// The client's and a pipeline's methods by name; the names are the closed set above.
const methodOf = (target: object, command: StateWrite['command']): Send =>
  (target as Record<string, Send>)[command] as Send;

/**
 * Writes the state that money depends on. Without `waitForReplicas` each write is one command
 * (auto-pipelined). With it, the writes go in one pipeline followed by `WAIT count timeoutMs` on
 * the same connection, so on Cluster too it reaches the primary that took them (a pipeline goes to
 * its keys' slot); a write counts only once `count` replicas have it, and one that does not is
 * rejected, so that its caller keeps it and writes it again (every write here is idempotent, or
 * read once). That closes the gap of Redis's asynchronous replication: a primary killed right
 * after acknowledging cannot take an acknowledged write with it in a failover.
 */
export function createStateWriter(redis: ScriptedRedis, replicas: WaitForReplicas | undefined): StateWriter {
  if (replicas === undefined) {
    return (writes) => writes.map((write) => methodOf(redis, write.command).apply(redis, write.args));
  }
  const send = async (writes: readonly StateWrite[], redirections: number): Promise<PipelineReplies> => {
    const batch = redis.pipeline();
    for (const write of writes) methodOf(batch, write.command).apply(batch, write.args);
    batch.call('WAIT', replicas.count, replicas.timeoutMs);
    const results = await batch.exec();
    if (results === null) throw new Error('the write was discarded');
    // ioredis follows a redirection of a pipeline only when every command got it, and WAIT never
    // does: after a failover the writes come back MOVED (not applied), so send them again.
    const [firstError] = results[0] ?? [];
    if (firstError instanceof Error && NOT_APPLIED.test(firstError.message) && redirections > 0) {
      if (redis instanceof Cluster) redis.refreshSlotsCache();
      await new Promise((resolve) => setTimeout(resolve, REDIRECTION_DELAY_MS));
      return send(writes, redirections - 1);
    }
    const [waitError, acknowledged] = results[writes.length] ?? [null, 0];
    if (waitError !== null) throw waitError;
    const acked = Number(acknowledged);
    if (acked < replicas.count) {
      throw new Error(
        `written to the primary but to ${acked} of the ${replicas.count} replicas asked for within ${replicas.timeoutMs} ms`,
      );
    }
    return results;
  };
  return (writes) => {
    const replies = send(writes, MAX_REDIRECTIONS);
    return writes.map((_, index) =>
      replies.then((results) => {
        const [error, value] = results[index] ?? [new Error('no reply'), undefined];
        if (error !== null) throw error;
        return value;
      }),
    );
  };
}
