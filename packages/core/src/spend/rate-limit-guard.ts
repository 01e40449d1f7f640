import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config/config-types.js';
import { StoreUnavailableError } from '../errors/store-unavailable-error.js';
import { compileMatch, type SpendContext, scopeValues } from './spend-scope.js';

/** Builds one limiter: `points` per `durationSeconds`. The default keeps counters in memory. */
export type LimiterFactory = (options: {
  points: number;
  durationSeconds: number;
  keyPrefix: string;
}) => RateLimiterAbstract;

/** A limiter from rate-limiter-flexible in process memory. */
export const memoryLimiterFactory: LimiterFactory = ({ points, durationSeconds, keyPrefix }) =>
  new RateLimiterMemory({ points, duration: durationSeconds, keyPrefix });

interface CompiledLimit {
  name: string;
  scope: RateLimitConfig['scope'];
  matches: (value: string) => boolean;
  limiters: Array<{ kind: 'rpm' | 'rpd' | 'tpm'; limiter: RateLimiterAbstract }>;
  rpdReset: RateLimitConfig['rpdReset'];
}

const DAY_MS = 86_400_000;

/** Whether a daily counter of this limit starts over at midnight UTC for this model. */
function onCalendar(limit: CompiledLimit, model: string): boolean {
  return (limit.rpdReset ?? (model.endsWith(':free') ? 'utc-midnight' : 'rolling')) === 'utc-midnight';
}

/** Permission for one attempt; `settle` refunds unused tokens, `release` gives everything back. */
export interface RatePermit {
  settle(actualTokens: number): void;
  /** The attempt did not happen (another check refused it): every count it took is returned. */
  release(): Promise<void>;
  /**
   * The upstream rate-limited the attempt until `ms` from now (`Retry-After`, `X-RateLimit-Reset`):
   * the provider and model counters it took stay exhausted until then, so the target is skipped
   * rather than called again. Counters of a caller's key are left alone.
   */
  exhaust(ms: number): void;
}

/** Why a target is over a limit, and when it frees up. */
export interface RateDenial {
  /** The limit's name and which counter: `model:*:free rpm`. */
  limit: string;
  retryAfterMs: number;
}

/** One counter of a rate limit, for one value of its scope, as its store holds it now. */
export interface RateLimitUsage {
  /** The limit's name (`scope:match` unless named). */
  limit: string;
  scope: RateLimitConfig['scope'];
  /** The provider, model id or key name this counter is for. */
  value: string;
  counter: 'rpm' | 'rpd' | 'tpm';
  /** `rolling` (from the window's first count) or `utc-day` (a calendar day, `rpdReset: utc-midnight`). */
  window: 'rolling' | 'utc-day';
  /** Requests (or tokens, for `tpm`) counted in the current window. */
  used: number;
  /** The most the window allows. */
  allowed: number;
  remaining: number;
  /** Milliseconds until the window starts over; 0 when nothing is counted. */
  resetsInMs: number;
}

/** Client-side rate limits: counts requests and tokens per provider, model or key. */
export interface RateLimitGuard {
  readonly empty: boolean;
  /**
   * The counters of every limit for the `values` given of its scope (a plain `match` has its own
   * value), read from the store without counting anything.
   */
  usage(options?: {
    values?: Partial<Record<RateLimitConfig['scope'], readonly string[]>>;
  }): Promise<RateLimitUsage[]>;
  /** Takes one request (and `tokens`) from every limit that applies, or none of them. */
  acquire(options: {
    context: SpendContext;
    tokens: number;
  }): Promise<{ ok: true; permit: RatePermit } | { ok: false; denial: RateDenial }>;
}

const NO_PERMIT: RatePermit = {
  settle: () => undefined,
  release: async () => undefined,
  exhaust: () => undefined,
};

/** Creates a {@link RateLimitGuard}. */
export function createRateLimitGuard(options: {
  limits: readonly RateLimitConfig[];
  factory?: LimiterFactory;
  /**
   * Epoch ms now, for calendar days (`rpdReset: utc-midnight`).
   * @default Date.now
   */
  now?: () => number;
}): RateLimitGuard {
  const factory = options.factory ?? memoryLimiterFactory;
  const now = options.now ?? Date.now;
  const limits: CompiledLimit[] = options.limits.map((config, index) => {
    const name = config.name ?? `${config.scope}${config.match === undefined ? '' : `:${config.match}`}`;
    const limiters: CompiledLimit['limiters'] = [];
    const prefix = `switchyard:limit:${index}`;
    if (config.rpm !== undefined)
      limiters.push({
        kind: 'rpm',
        limiter: factory({ points: config.rpm, durationSeconds: 60, keyPrefix: `${prefix}:rpm` }),
      });
    if (config.rpd !== undefined)
      limiters.push({
        kind: 'rpd',
        limiter: factory({ points: config.rpd, durationSeconds: 86_400, keyPrefix: `${prefix}:rpd` }),
      });
    if (config.tpm !== undefined)
      limiters.push({
        kind: 'tpm',
        limiter: factory({ points: config.tpm, durationSeconds: 60, keyPrefix: `${prefix}:tpm` }),
      });
    return {
      name,
      scope: config.scope,
      matches: compileMatch(config.match),
      limiters,
      rpdReset: config.rpdReset,
    };
  });

  return {
    empty: limits.length === 0,
    async usage({ values = {} } = {}) {
      const reads: Array<Promise<RateLimitUsage>> = [];
      const day = Math.floor(now() / DAY_MS);
      for (const [index, limit] of limits.entries()) {
        const match = options.limits[index]?.match;
        const candidates =
          match !== undefined && !match.includes('*') ? [match] : (values[limit.scope] ?? []);
        for (const value of new Set(candidates)) {
          if (!limit.matches(value)) continue;
          for (const { kind, limiter } of limit.limiters) {
            // A daily counter is a calendar day's for a model that counts so, or when the limit says.
            const calendar =
              kind === 'rpd' &&
              (limit.scope === 'model' ? onCalendar(limit, value) : limit.rpdReset === 'utc-midnight');
            const key = calendar ? `${value}@${day}` : value;
            reads.push(
              limiter.get(key).then((result) => {
                const used = result?.consumedPoints ?? 0;
                const untilMidnight = (day + 1) * DAY_MS - now();
                const ms = result === null ? 0 : Math.max(0, result.msBeforeNext);
                return {
                  limit: limit.name,
                  scope: limit.scope,
                  value,
                  counter: kind,
                  window: calendar ? 'utc-day' : 'rolling',
                  used,
                  allowed: limiter.points,
                  remaining: Math.max(0, limiter.points - used),
                  resetsInMs: calendar && result !== null ? Math.min(ms, untilMidnight) : ms,
                };
              }),
            );
          }
        }
      }
      return Promise.all(reads);
    },
    async acquire({ context, tokens }) {
      const wanted: Array<{
        limiter: RateLimiterAbstract;
        key: string;
        points: number;
        kind: string;
        name: string;
        scope: RateLimitConfig['scope'];
        /** Epoch ms when a calendar day's counter starts over. */
        resetsAt: number | undefined;
      }> = [];
      for (const limit of limits) {
        for (const value of scopeValues(limit.scope, context)) {
          if (!limit.matches(value)) continue;
          for (const { kind, limiter } of limit.limiters) {
            // A calendar day is its own key: the counter starts over at midnight UTC.
            const day =
              kind === 'rpd' && onCalendar(limit, context.model) ? Math.floor(now() / DAY_MS) : undefined;
            wanted.push({
              limiter,
              key: day === undefined ? value : `${value}@${day}`,
              points: kind === 'tpm' ? Math.max(1, tokens) : 1,
              kind,
              name: limit.name,
              scope: limit.scope,
              resetsAt: day === undefined ? undefined : (day + 1) * DAY_MS,
            });
          }
        }
      }
      if (wanted.length === 0) return { ok: true, permit: NO_PERMIT };
      // All counters at once: with a shared store they travel in one round trip.
      const countedAt = Date.now();
      const results = await Promise.allSettled(
        wanted.map((entry) => entry.limiter.consume(entry.key, entry.points)),
      );
      const taken = wanted.filter((_, index) => results[index]?.status === 'fulfilled');
      if (taken.length < wanted.length) {
        // A refused consume has counted its points too (rate-limiter-flexible adds, then compares):
        // give those back with the rest, or a refused request would hold its tokens for the window.
        const counted = wanted.filter((_, index) => {
          const result = results[index];
          return result?.status === 'fulfilled' || result?.reason instanceof RateLimiterRes;
        });
        await Promise.allSettled(counted.map((entry) => entry.limiter.reward(entry.key, entry.points)));
        let failure: unknown;
        for (const [index, result] of results.entries()) {
          if (result.status === 'fulfilled') continue;
          const entry = wanted[index] as (typeof wanted)[number];
          if (result.reason instanceof RateLimiterRes) {
            const untilMidnight = entry.resetsAt === undefined ? undefined : entry.resetsAt - now();
            const retryAfterMs =
              untilMidnight === undefined
                ? result.reason.msBeforeNext
                : Math.min(result.reason.msBeforeNext, untilMidnight);
            return { ok: false, denial: { limit: `${entry.name} ${entry.kind}`, retryAfterMs } };
          }
          failure ??= { error: result.reason, entry };
        }
        const { error, entry } = failure as { error: unknown; entry: (typeof wanted)[number] };
        if (StoreUnavailableError.isInstance(error)) throw error;
        throw new StoreUnavailableError({
          message: `the rate-limit store did not answer (${entry.name} ${entry.kind}); the request was refused rather than served unlimited`,
          cause: error,
        });
      }
      // A counter's window ends `msBeforeNext` after the count. A refund after that would land in
      // the next window (a fresh key) as room the limit never had: then there is nothing to refund.
      const inWindow = (index: number): boolean => {
        const ms = (results[index] as PromiseFulfilledResult<RateLimiterRes>).value.msBeforeNext;
        return ms < 0 || Date.now() < countedAt + ms;
      };
      return {
        ok: true,
        permit: {
          settle(actualTokens) {
            for (const [index, entry] of taken.entries()) {
              if (entry.kind === 'tpm' && actualTokens < entry.points && inWindow(index)) {
                void entry.limiter.reward(entry.key, entry.points - actualTokens).catch(() => undefined);
              }
            }
          },
          async release() {
            await Promise.allSettled(
              taken
                .filter((_, index) => inWindow(index))
                .map((entry) => entry.limiter.reward(entry.key, entry.points)),
            );
          },
          exhaust(ms) {
            const seconds = Math.ceil(ms / 1000);
            if (!(seconds > 0)) return;
            for (const entry of taken) {
              if (entry.scope === 'key') continue;
              const until =
                entry.resetsAt === undefined
                  ? seconds
                  : Math.min(seconds, Math.ceil((entry.resetsAt - now()) / 1000));
              if (until > 0) void entry.limiter.block(entry.key, until).catch(() => undefined);
            }
          },
        },
      };
    },
  };
}
