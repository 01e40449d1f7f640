import { type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerLimitsConfig } from '../config/config-types.js';
import { type ResolvedServerLimits, resolveServerLimits } from '../config/resolve-config.js';

/** How often Node looks for requests past their timeouts, at most (its own default is 30 s). */
const MAX_CHECK_INTERVAL_MS = 1000;
const MIN_CHECK_INTERVAL_MS = 50;

/**
 * A connection the server cut or refused before any request handler ran: a request past its
 * timeout (408), one Node could not parse (400), one whose headers (431) or chunk extensions
 * (413) are too large, or a connection over `maxConnectionsPerIp` (closed unanswered: no status).
 */
export interface ServerCut {
  /** The status answered, or undefined when the connection was closed without an answer. */
  status: CutStatus | undefined;
  /** Node's error code (`ERR_HTTP_REQUEST_TIMEOUT`, `HPE_HEADER_OVERFLOW`, `HPE_INVALID_METHOD`, ...), or `max_connections_per_ip`. */
  code: string;
  /** What happened, in words: Node's error message (never the request's bytes). */
  reason: string;
  /** The client's address, when known. */
  remoteAddress: string | undefined;
}

/** Options of {@link applyServerLimits}. */
export interface ServerLimitsOptions {
  /**
   * Told of every connection the server cuts or refuses before a request handler exists, which
   * the request log never sees (a slowloris, a slow body, garbage, a client over its connection
   * cap). A reset by the client itself is not reported.
   */
  onCut?: (cut: ServerCut) => void;
}

type CutStatus = 400 | 408 | 413 | 431;

/** What Node answers a client error when no `clientError` listener is set, byte for byte. */
const answerOf = (status: CutStatus): string =>
  `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`;
const RESETS = new Set(['ECONNRESET', 'EPIPE']);

function statusOf(code: string): CutStatus {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  return 400;
}

/**
 * Applies the config's `server` limits to a Node HTTP server, before it listens: Node's own
 * `headersTimeout`, `requestTimeout`, `keepAliveTimeout` and `maxConnections`, and a cap of open
 * connections per client address when `maxConnectionsPerIp` is set (a connection over it is closed
 * at once, as Node closes one over `maxConnections`). A request whose headers or body are still
 * arriving past its timeout is answered 408 and its connection closed: a slowloris or a slow body
 * holds a socket no longer than that. Node checks those timeouts on an interval (30 s unless told
 * otherwise, fixed when the server starts listening); it is set here to half the shorter timeout,
 * between 50 ms and 1 s, so a request is cut close to its limit. With `options.onCut`, each of
 * those cuts (and each client error Node answers itself: 400, 413, 431) is reported, answered
 * with the same bytes Node would send.
 * @returns the limits applied, every default filled in
 * @throws TypeError when the server already listens (the check interval could no longer change)
 * @example
 * const server = http.createServer(app);
 * applyServerLimits(server, config.server);
 * server.listen(8787);
 */
export function applyServerLimits(
  server: Server,
  given?: ServerLimitsConfig,
  options: ServerLimitsOptions = {},
): ResolvedServerLimits {
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
  const { onCut } = options;
  if (limits.maxConnectionsPerIp !== undefined) capPerAddress(server, limits.maxConnectionsPerIp, onCut);
  if (onCut !== undefined) {
    // Node's own answer to a client error (the same bytes), told to `onCut` first.
    server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
      const code = error.code ?? 'unknown';
      if (RESETS.has(code)) {
        socket.destroy(error);
        return;
      }
      // Node answers only a socket it has written nothing to yet (not mid-response).
      const status = socket.writable && socket.bytesWritten === 0 ? statusOf(code) : undefined;
      onCut({ status, code, reason: error.message, remoteAddress: socket.remoteAddress });
      if (status !== undefined) socket.write(answerOf(status));
      socket.destroy(error);
    });
  }
  return limits;
}

/** Closes a connection that would open more than `max` from one address; counts them as they close. */
function capPerAddress(server: Server, max: number, onCut: ServerLimitsOptions['onCut']): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      onCut?.({
        status: undefined,
        code: 'max_connections_per_ip',
        reason: `closed: ${address} already has ${max} open connection${max === 1 ? '' : 's'} (server.maxConnectionsPerIp)`,
        remoteAddress: address,
      });
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
