import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerLimitsConfig } from '../config/config-types.js';
import { type ResolvedServerLimits, resolveServerLimits } from '../config/resolve-config.js';

/** How often Node looks for requests past their timeouts, at most (its own default is 30 s). */
const MAX_CHECK_INTERVAL_MS = 1000;
const MIN_CHECK_INTERVAL_MS = 50;

/**
 * Applies the config's `server` limits to a Node HTTP server, before it listens: Node's own
 * `headersTimeout`, `requestTimeout`, `keepAliveTimeout` and `maxConnections`, and a cap of open
 * connections per client address when `maxConnectionsPerIp` is set (a connection over it is closed
 * at once, as Node closes one over `maxConnections`). A request whose headers or body are still
 * arriving past its timeout is answered 408 and its connection closed: a slowloris or a slow body
 * holds a socket no longer than that. Node checks those timeouts on an interval (30 s unless told
 * otherwise, fixed when the server starts listening); it is set here to half the shorter timeout,
 * between 50 ms and 1 s, so a request is cut close to its limit.
 * @returns the limits applied, every default filled in
 * @throws TypeError when the server already listens (the check interval could no longer change)
 * @example
 * const server = http.createServer(app);
 * applyServerLimits(server, config.server);
 * server.listen(8787);
 */
export function applyServerLimits(server: Server, given?: ServerLimitsConfig): ResolvedServerLimits {
  if (server.listening) throw new TypeError('applyServerLimits must be called before the server listens');
  const limits = resolveServerLimits(given);
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  const interval = Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 2);
  // Read by Node when the server starts listening; typed by @types/node only as a creation option.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(
    MAX_CHECK_INTERVAL_MS,
    Math.max(MIN_CHECK_INTERVAL_MS, interval),
  );
  if (limits.maxConnectionsPerIp !== undefined) capPerAddress(server, limits.maxConnectionsPerIp);
  return limits;
}

/** Closes a connection that would open more than `max` from one address; counts them as they close. */
function capPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
