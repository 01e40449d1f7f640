import { type Dispatcher, Pool } from 'undici';
import type { Operation } from '../routing/operation.js';
import { ResponseBody } from './response-body.js';
import type { Transport, TransportEndpoint, TransportRequest, TransportResponse } from './transport.js';

/** Options of {@link createUndiciTransport}. */
export interface UndiciTransportOptions {
  /**
   * Idle time after which a pooled keep-alive connection closes.
   * @default 30000
   */
  keepAliveTimeoutMs?: number;
}

interface PooledEndpoint {
  pool: Pool;
  /** The path of each operation, built once. */
  paths: Readonly<Record<Operation, string>>;
}

/** Sends one request with undici's `dispatch`, the pool's lowest-level call. */
function dispatch(pooled: PooledEndpoint, request: TransportRequest): Promise<TransportResponse> {
  const { signal } = request;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<TransportResponse>((resolve, reject) => {
    let body: ResponseBody | undefined;
    let detach: (() => void) | undefined;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        detach = signal.onAbort((reason) => controller.abort(reason as Error));
      },
      onResponseStart(controller, statusCode, headers) {
        body = new ResponseBody(controller);
        const response = body;
        resolve({
          status: statusCode,
          headers,
          text: (options) => response.text(options),
          chunks: () => response,
        });
      },
      onResponseData(_controller, chunk) {
        body?.push(chunk);
      },
      onResponseEnd() {
        detach?.();
        body?.end();
      },
      onResponseError(_controller, error) {
        detach?.();
        const reason = signal.aborted ? signal.reason : error;
        if (body === undefined) reject(reason);
        else body.fail(reason);
      },
    };
    pooled.pool.dispatch(
      {
        method: 'POST',
        path: pooled.paths[request.operation],
        headers:
          request.headers === undefined
            ? request.endpoint.headers
            : Object.assign({}, request.endpoint.headers, request.headers),
        body: request.body,
      },
      handler,
    );
  });
}

/**
 * The default transport: one undici connection pool per provider origin, requests sent with
 * `dispatch` (no AbortSignal, no WHATWG streams on the hot path), bodies read as raw chunks and
 * SSE parsed incrementally by the router.
 */
export function createUndiciTransport(options: UndiciTransportOptions = {}): Transport {
  const endpoints = new Map<TransportEndpoint, PooledEndpoint>();
  const pools = new Map<string, Pool>();

  const resolve = (endpoint: TransportEndpoint): PooledEndpoint => {
    let pooled = endpoints.get(endpoint);
    if (pooled !== undefined) return pooled;
    const url = new URL(endpoint.baseURL);
    const poolKey = `${url.origin}#${endpoint.connections}`;
    let pool = pools.get(poolKey);
    if (pool === undefined) {
      pool = new Pool(url.origin, {
        connections: endpoint.connections,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      });
      pools.set(poolKey, pool);
    }
    const base = url.pathname.replace(/\/+$/, '');
    pooled = { pool, paths: { chat: `${base}/chat/completions`, embeddings: `${base}/embeddings` } };
    endpoints.set(endpoint, pooled);
    return pooled;
  };

  return {
    send: (request) => dispatch(resolve(request.endpoint), request),
    async close() {
      const closing = [...pools.values()].map((pool) => pool.close());
      pools.clear();
      endpoints.clear();
      await Promise.allSettled(closing);
    },
  };
}
