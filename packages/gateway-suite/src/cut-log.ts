import type { ServerLimitsOptions } from '@switchyard/core/node';

/** The message of the log line an app writes for a connection cut before any handler ran. */
export const CUT_MESSAGE = 'connection cut before a request handler ran';

/**
 * `applyServerLimits` options for a gateway under test that has no logger of its own: each cut is
 * pushed to `logs` as a JSON line, as the apps' pino warnings carry it.
 * @example applyServerLimits(server, config.server, logCutsTo(logs));
 */
export const logCutsTo = (logs: string[]): ServerLimitsOptions => ({
  onCut: (cut) => {
    logs.push(JSON.stringify({ ...cut, msg: CUT_MESSAGE }));
  },
});
