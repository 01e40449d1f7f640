import { type LedgerEntry, ledgerToCsv, type Router, summarizeSpend } from '@switchyard/core';
import { createKeyRing, GatewayError } from '@switchyard/core/node';
import { Router as createExpressRouter, type Router as ExpressRouter, type Request } from 'express';

/** What {@link adminRoutes} needs. */
export interface AdminRoutesOptions {
  router: Router;
  /** The bearer key of `/admin` (`SWITCHYARD_ADMIN_KEY`); compared in constant time. */
  adminKey: string;
  /** What the store adds to the ledger's stats (a Redis stream's trimmed count). */
  storeStats?: () => Promise<Record<string, unknown>>;
}

/** The shortest admin key accepted: an operator's secret, not a password to guess. */
export const MIN_ADMIN_KEY_LENGTH = 16;

const formatOf = (request: Request): 'json' | 'csv' => {
  const format = request.query.format ?? 'json';
  if (format !== 'json' && format !== 'csv') {
    throw new GatewayError({
      code: 'invalid_parameter',
      param: 'format',
      message: 'format must be json or csv',
    });
  }
  return format;
};

const maxOf = (request: Request): number | undefined => {
  const max = request.query.max;
  if (max === undefined) return undefined;
  const value = typeof max === 'string' && /^\d+$/.test(max) ? Number(max) : Number.NaN;
  if (!(value >= 1)) {
    throw new GatewayError({
      code: 'invalid_parameter',
      param: 'max',
      message: 'max must be a positive integer',
    });
  }
  return value;
};

const drainOf = (request: Request): boolean => {
  const drain = request.query.drain;
  if (drain === undefined || drain === 'false' || drain === '0') return false;
  if (drain === 'true' || drain === '1' || drain === '') return true;
  throw new GatewayError({
    code: 'invalid_parameter',
    param: 'drain',
    message: 'drain must be true or false',
  });
};

/**
 * The operator's endpoints, behind `Authorization: Bearer <admin key>`:
 * - `GET /admin/ledger/stats`: what the ledger holds, and what it evicted or was drained of (exact
 *   totals, by key and by route);
 * - `GET /admin/ledger?format=json|csv`: the entries held; `&drain=true` removes what it returns
 *   (the memory ledger only), `&max=N` at most N of the oldest. The drain is how the memory ledger
 *   is archived before its cap evicts entries: `switchyard ledger export` calls it.
 */
export function adminRoutes(options: AdminRoutesOptions): ExpressRouter {
  const { router } = options;
  const keys = createKeyRing([{ name: 'admin', key: options.adminKey }]);
  const admin = createExpressRouter();
  admin.use((request, _response, next) => {
    keys.authenticate(request);
    next();
  });
  const stats = async (): Promise<Record<string, unknown>> => ({
    store: router.store.kind,
    ...((await router.ledger.stats?.()) ?? {}),
    ...((await options.storeStats?.()) ?? {}),
  });
  admin.get('/ledger/stats', async (_request, response) => {
    response.json(await stats());
  });
  admin.get('/ledger', async (request, response) => {
    const format = formatOf(request);
    const max = maxOf(request);
    let entries: LedgerEntry[];
    if (drainOf(request)) {
      if (router.ledger.drainEntries === undefined) {
        throw new GatewayError({
          code: 'invalid_parameter',
          param: 'drain',
          message: `the ${router.store.kind} ledger is not drained: export it without drain, and bound it with the config's ledger section`,
        });
      }
      entries = await router.ledger.drainEntries(max === undefined ? {} : { max });
    } else {
      const held = await router.ledger.query();
      entries = max === undefined ? held : held.slice(0, max);
    }
    if (format === 'csv') {
      response.type('text/csv').send(ledgerToCsv(entries));
      return;
    }
    response.json({ summary: summarizeSpend(entries), entries, ledger: await stats() });
  });
  return admin;
}
