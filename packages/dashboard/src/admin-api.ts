import type { IncomingMessage, ServerResponse } from 'node:http';
import { type GatewayKeyConfig, type LedgerFilter, OUTCOME_CODES, type Router } from '@switchyard/core';
import { createKeyRing, GatewayError, renderError } from '@switchyard/core/node';
import {
  choiceOf,
  countOf,
  durationOf,
  invalidParameter,
  onlyKnown,
  periodOf,
  single,
  timeOf,
} from './admin-parameters.js';
import { summarizeRequests } from './request-summary.js';
import { routesReport } from './routes-report.js';
import { defaultBucketMs, MAX_BUCKETS, SPEND_GROUPINGS, spendReport } from './spend-report.js';

/** The shortest admin key accepted: an operator's secret, not a password to guess. */
export const MIN_ADMIN_KEY_LENGTH = 16;

/** Options of {@link createAdminApi}. */
export interface AdminApiOptions {
  router: Router;
  /** The bearer key of the API, at least 16 characters; compared in constant time, never shown. */
  adminKey: string;
  /** The config's gateway keys: their names (never their secrets) and budgets are reported. */
  keys?: readonly GatewayKeyConfig[];
  /**
   * Where the API is mounted: its paths are `<basePath>/spend`, `/requests`, `/requests/<id>` and `/routes`.
   * @default '/admin'
   */
  basePath?: string;
  /** The clock of default periods. @default Date.now */
  now?: () => number;
}

/** The admin JSON API as a Node handler: resolves true when it answered the request. */
export interface AdminApi {
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
}

/** Request outcomes `/admin/requests?outcome=` takes: a final outcome, `failed`, or an attempt's code. */
export const REQUEST_OUTCOMES = ['success', 'cache_hit', 'failed', ...OUTCOME_CODES] as const;

const DAY_MS = 86_400_000;

function sendJson(response: ServerResponse, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(json)),
    'cache-control': 'no-store',
  });
  response.end(json);
}

/** Refuses an admin key shorter than {@link MIN_ADMIN_KEY_LENGTH}, naming where it came from. */
export function checkAdminKey(key: string, source = 'the admin key'): void {
  if (key.length < MIN_ADMIN_KEY_LENGTH) {
    throw new RangeError(`${source} must be at least ${MIN_ADMIN_KEY_LENGTH} characters`);
  }
}

/**
 * The operator's JSON API over the ledger (memory, or every replica's on Redis), behind
 * `Authorization: Bearer <admin key>`:
 * - `GET /admin/spend?groupBy=key|route|model|provider&from=&to=&bucket=`: spend in time buckets and
 *   totals (exact USD strings), requests, cache hits, fallbacks, escalations, route surprises, error
 *   codes and latency percentiles;
 * - `GET /admin/requests?limit=&key=&route=&outcome=&from=&to=`: the last requests with their attempts;
 * - `GET /admin/requests/<id>`: one request's trace;
 * - `GET /admin/routes`: routes, targets, breakers, budgets and what is left, rate limits.
 *
 * Bad parameters are 400s naming the parameter; a missing or wrong key is a 401.
 * @example
 * const api = createAdminApi({ router, adminKey: process.env.SWITCHYARD_ADMIN_KEY });
 * http.createServer(async (req, res) => { if (!(await api.handle(req, res))) res.writeHead(404).end(); });
 */
export function createAdminApi(options: AdminApiOptions): AdminApi {
  checkAdminKey(options.adminKey);
  const { router } = options;
  const basePath = (options.basePath ?? '/admin').replace(/\/$/, '');
  const now = options.now ?? Date.now;
  const ring = createKeyRing([{ name: 'admin', key: options.adminKey }]);
  const strategies = new Map(router.describe().map((entry) => [entry.id, entry.strategy]));
  const strategyOf = (route: string | undefined) => (route === undefined ? undefined : strategies.get(route));

  const spend = async (query: URLSearchParams): Promise<unknown> => {
    onlyKnown(query, ['groupBy', 'from', 'to', 'bucket']);
    const groupBy = choiceOf(query, 'groupBy', SPEND_GROUPINGS) ?? 'route';
    const { from, to } = periodOf(query, { now: now(), span: DAY_MS });
    const bucketMs = durationOf(query, 'bucket') ?? defaultBucketMs(to - from);
    const buckets = Math.ceil((to - (from - (from % bucketMs))) / bucketMs);
    if (buckets > MAX_BUCKETS) {
      throw invalidParameter(
        'bucket',
        `bucket gives ${buckets} buckets over the period; at most ${MAX_BUCKETS}: widen it`,
      );
    }
    const entries = await router.ledger.query({ from, to });
    return spendReport(entries, { from, to, bucketMs, groupBy, strategyOf });
  };

  const requests = async (query: URLSearchParams): Promise<unknown> => {
    onlyKnown(query, ['limit', 'key', 'route', 'outcome', 'from', 'to']);
    const limit = countOf(query, 'limit', { default: 50, max: 1000 });
    const outcome = choiceOf(query, 'outcome', REQUEST_OUTCOMES);
    const filter: LedgerFilter = {};
    const key = single(query, 'key');
    const route = single(query, 'route');
    if (key) filter.key = key;
    if (route) filter.route = route;
    const from = timeOf(query, 'from');
    const to = timeOf(query, 'to');
    if (from !== undefined) filter.from = from;
    if (to !== undefined) filter.to = to;
    if (from !== undefined && to !== undefined && from >= to)
      throw invalidParameter('from', 'from must be before to');
    const all = summarizeRequests(await router.ledger.query(filter), { strategyOf });
    const matching =
      outcome === undefined
        ? all
        : all.filter((request) =>
            outcome === 'failed'
              ? request.outcome !== 'success' && request.outcome !== 'cache_hit'
              : request.outcome === outcome ||
                request.attempts.some((attempt) => attempt.outcome === outcome),
          );
    return { total: matching.length, requests: matching.slice(0, limit) };
  };

  const oneRequest = async (id: string): Promise<unknown> => {
    const entries = (await router.ledger.query()).filter((entry) => entry.requestId === id);
    const [request] = summarizeRequests(entries, { strategyOf });
    if (request === undefined) {
      throw new GatewayError({
        code: 'not_found',
        status: 404,
        param: 'id',
        message: `no request ${id} in the ledger`,
      });
    }
    return request;
  };

  const answer = (path: string, query: URLSearchParams): Promise<unknown> | undefined => {
    if (path === '/spend') return spend(query);
    if (path === '/requests') return requests(query);
    if (path === '/routes') {
      onlyKnown(query, []);
      return routesReport({
        router,
        ...(options.keys === undefined ? {} : { keys: options.keys }),
        now: now(),
      });
    }
    const one = /^\/requests\/([^/]+)$/.exec(path);
    if (one !== null) {
      onlyKnown(query, []);
      return oneRequest(decodeURIComponent(one[1] as string));
    }
    return undefined;
  };

  const known = (path: string): boolean => /^\/(spend|requests|routes|requests\/[^/]+)$/.test(path);

  return {
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://admin.invalid');
      if (!url.pathname.startsWith(`${basePath}/`)) return false;
      const path = url.pathname.slice(basePath.length).replace(/\/$/, '');
      if (!known(path)) return false;
      try {
        ring.authenticate(request);
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          throw new GatewayError({
            code: 'method_not_allowed',
            status: 405,
            message: `${request.method} is not allowed on ${basePath}${path}; use GET`,
            headers: { allow: 'GET, HEAD' },
          });
        }
        sendJson(response, await answer(path, url.searchParams));
      } catch (error) {
        renderError(response, error);
      }
      return true;
    },
  };
}
