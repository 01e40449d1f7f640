import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RateLimitConfig } from '../config/config-types.js';
import { StoreUnavailableError } from '../errors/store-unavailable-error.js';
import { createRateLimitGuard, type LimiterFactory, memoryLimiterFactory } from './rate-limit-guard.js';
import type { SpendContext } from './spend-scope.js';

const START = Date.parse('2026-03-10T18:00:00.000Z');

const context = (overrides: Partial<SpendContext> = {}): SpendContext => ({
  caller: { key: 'team-a' },
  route: 'default',
  model: 'meta-llama/llama-3.3-70b-instruct:free',
  provider: 'openrouter',
  ...overrides,
});

const guardOf = (...limits: RateLimitConfig[]) => createRateLimitGuard({ limits });

/** Acquires and returns the outcome as a user of the guard sees it: admitted, or the denial. */
async function attempt(
  guard: ReturnType<typeof createRateLimitGuard>,
  options: { context?: SpendContext; tokens?: number } = {},
) {
  return guard.acquire({ context: options.context ?? context(), tokens: options.tokens ?? 1 });
}

/** Lets a refund made in the background land, moving no time. */
const flush = (): Promise<unknown> => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createRateLimitGuard', () => {
  it('is empty without limits and admits everything', async () => {
    const guard = guardOf();
    expect(guard.empty).toBe(true);
    const outcome = await attempt(guard, { tokens: 1_000_000 });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    outcome.permit.settle(0);
    await outcome.permit.release();
    expect(createRateLimitGuard({ limits: [{ scope: 'key', rpm: 1 }] }).empty).toBe(false);
  });

  it('builds one limiter per counter: rpm and tpm per 60 s, rpd per day, each under its own prefix', () => {
    const built: Array<Parameters<LimiterFactory>[0]> = [];
    createRateLimitGuard({
      limits: [
        { scope: 'model', match: '*:free', rpm: 20, rpd: 50 },
        { scope: 'provider', tpm: 100_000 },
      ],
      factory: (options) => {
        built.push(options);
        return memoryLimiterFactory(options);
      },
    });
    expect(built).toEqual([
      { points: 20, durationSeconds: 60, keyPrefix: 'switchyard:limit:0:rpm' },
      { points: 50, durationSeconds: 86_400, keyPrefix: 'switchyard:limit:0:rpd' },
      { points: 100_000, durationSeconds: 60, keyPrefix: 'switchyard:limit:1:tpm' },
    ]);
  });
});

describe('requests per minute', () => {
  it('admits rpm requests, refuses the next until the minute since the first has passed', async () => {
    const guard = guardOf({ scope: 'provider', rpm: 3 });
    for (let index = 0; index < 3; index += 1) expect((await attempt(guard)).ok).toBe(true);
    vi.advanceTimersByTime(20_000);
    expect(await attempt(guard)).toEqual({
      ok: false,
      denial: { limit: 'provider rpm', retryAfterMs: 40_000 },
    });
    vi.advanceTimersByTime(39_999);
    expect(await attempt(guard)).toMatchObject({ ok: false, denial: { retryAfterMs: 1 } });
    vi.advanceTimersByTime(1);
    expect((await attempt(guard)).ok).toBe(true);
  });

  it('counts a request as one whatever its tokens', async () => {
    const guard = guardOf({ scope: 'provider', rpm: 2 });
    expect((await attempt(guard, { tokens: 50_000 })).ok).toBe(true);
    expect((await attempt(guard, { tokens: 0 })).ok).toBe(true);
    expect((await attempt(guard, { tokens: 1 })).ok).toBe(false);
  });

  it('does not give the request back on settle: it was made', async () => {
    const guard = guardOf({ scope: 'provider', rpm: 1 });
    const first = await attempt(guard);
    if (!first.ok) throw new Error('expected an admission');
    first.permit.settle(0);
    await flush();
    expect((await attempt(guard)).ok).toBe(false);
  });
});

describe('requests per day', () => {
  it('counts a rolling day: 24 hours after the first request, when asked to', async () => {
    const guard = guardOf({ scope: 'model', match: '*:free', rpd: 2, rpdReset: 'rolling' });
    expect((await attempt(guard)).ok).toBe(true);
    expect((await attempt(guard)).ok).toBe(true);
    vi.advanceTimersByTime(3_600_000);
    expect(await attempt(guard)).toEqual({
      ok: false,
      denial: { limit: 'model:*:free rpd', retryAfterMs: 86_400_000 - 3_600_000 },
    });
    vi.advanceTimersByTime(86_400_000 - 3_600_000);
    expect((await attempt(guard)).ok).toBe(true);
  });

  it("starts a :free model's day over at midnight UTC, as OpenRouter's free tier does", async () => {
    // START is 18:00 UTC: six hours to midnight.
    const guard = guardOf({ scope: 'model', match: '*:free', rpd: 2 });
    expect((await attempt(guard)).ok).toBe(true);
    expect((await attempt(guard)).ok).toBe(true);
    vi.advanceTimersByTime(3_600_000);
    expect(await attempt(guard)).toEqual({
      ok: false,
      denial: { limit: 'model:*:free rpd', retryAfterMs: 5 * 3_600_000 },
    });
    vi.advanceTimersByTime(5 * 3_600_000 - 1);
    expect((await attempt(guard)).ok).toBe(false);
    vi.advanceTimersByTime(1);
    expect((await attempt(guard)).ok).toBe(true);
  });

  it('counts a paid model on a rolling day unless the limit says utc-midnight', async () => {
    const paid = context({ model: 'meta-llama/llama-3.3-70b-instruct' });
    const rolling = guardOf({ scope: 'provider', rpd: 1 });
    expect((await attempt(rolling, { context: paid })).ok).toBe(true);
    expect(await attempt(rolling, { context: paid })).toMatchObject({ denial: { retryAfterMs: 86_400_000 } });
    const calendar = guardOf({ scope: 'provider', rpd: 1, rpdReset: 'utc-midnight' });
    expect((await attempt(calendar, { context: paid })).ok).toBe(true);
    expect(await attempt(calendar, { context: paid })).toMatchObject({
      denial: { retryAfterMs: 6 * 3_600_000 },
    });
  });

  it("keeps a model's counters exhausted for as long as the upstream said, but not the caller's key", async () => {
    const guard = guardOf({ scope: 'model', rpm: 100 }, { scope: 'key', rpm: 100 });
    const outcome = await attempt(guard);
    if (!outcome.ok) throw new Error('expected a permit');
    outcome.permit.exhaust(30_000);
    await flush();
    expect(await attempt(guard)).toMatchObject({ ok: false, denial: { limit: 'model rpm' } });
    expect((await attempt(guard, { context: context({ model: 'other/model' }) })).ok).toBe(true);
    vi.advanceTimersByTime(30_000);
    expect((await attempt(guard)).ok).toBe(true);
  });
});

describe('tokens per minute', () => {
  it('takes the tokens of each request and refuses one that would pass the limit', async () => {
    const guard = guardOf({ scope: 'provider', tpm: 1000 });
    expect((await attempt(guard, { tokens: 700 })).ok).toBe(true);
    expect(await attempt(guard, { tokens: 301 })).toEqual({
      ok: false,
      denial: { limit: 'provider tpm', retryAfterMs: 60_000 },
    });
    expect((await attempt(guard, { tokens: 300 })).ok).toBe(true);
  });

  it('counts a request of no tokens as one token', async () => {
    const guard = guardOf({ scope: 'provider', tpm: 2 });
    expect((await attempt(guard, { tokens: 0 })).ok).toBe(true);
    expect((await attempt(guard, { tokens: 0 })).ok).toBe(true);
    expect((await attempt(guard, { tokens: 0 })).ok).toBe(false);
  });

  it('refuses a request bigger than the whole limit', async () => {
    const guard = guardOf({ scope: 'provider', tpm: 1000 });
    expect(await attempt(guard, { tokens: 1001 })).toMatchObject({
      ok: false,
      denial: { limit: 'provider tpm' },
    });
  });

  it('gives back the unused tokens on settle, and takes nothing more for an overrun', async () => {
    const guard = guardOf({ scope: 'provider', tpm: 1000 });
    const first = await attempt(guard, { tokens: 800 });
    if (!first.ok) throw new Error('expected an admission');
    first.permit.settle(300);
    await flush();
    // 300 used: 700 left.
    const second = await attempt(guard, { tokens: 700 });
    if (!second.ok) throw new Error('expected an admission');
    // It used more than it asked for: the count stays at what was taken.
    second.permit.settle(5000);
    expect(await attempt(guard, { tokens: 1 })).toMatchObject({ ok: false });
  });

  it('does not count the tokens of a refused request', async () => {
    const guard = guardOf({ scope: 'provider', tpm: 1000 });
    expect((await attempt(guard, { tokens: 600 })).ok).toBe(true);
    expect((await attempt(guard, { tokens: 600 })).ok).toBe(false);
    // Only 600 were admitted: 400 more fit in this minute.
    expect((await attempt(guard, { tokens: 400 })).ok).toBe(true);
  });

  it('does not carry a refund of an attempt settled after its minute into the next minute', async () => {
    const guard = guardOf({ scope: 'provider', tpm: 1000 });
    const long = await attempt(guard, { tokens: 1000 });
    if (!long.ok) throw new Error('expected an admission');
    // A long stream ends 90 s later, having used 100 of its 1000 tokens.
    vi.advanceTimersByTime(90_000);
    long.permit.settle(100);
    await flush();
    expect((await attempt(guard, { tokens: 1000 })).ok).toBe(true);
    // The new minute allows 1000 tokens, not 1000 plus the 900 the old minute had left.
    expect(await attempt(guard, { tokens: 1 })).toMatchObject({
      ok: false,
      denial: { limit: 'provider tpm' },
    });
  });
});

describe('scopes', () => {
  it('keeps one counter per provider without a match', async () => {
    const guard = guardOf({ scope: 'provider', rpm: 1 });
    expect((await attempt(guard, { context: context({ provider: 'openrouter' }) })).ok).toBe(true);
    expect((await attempt(guard, { context: context({ provider: 'groq' }) })).ok).toBe(true);
    expect(await attempt(guard, { context: context({ provider: 'groq' }) })).toMatchObject({
      ok: false,
      denial: { limit: 'provider rpm' },
    });
  });

  it('limits only the models a wildcard match selects, sharing one counter per model id', async () => {
    const guard = guardOf({ scope: 'model', match: '*:free', rpm: 1 });
    const free = context({ model: 'meta-llama/llama-3.3-70b-instruct:free' });
    const otherFree = context({ model: 'deepseek/deepseek-r1:free' });
    const paid = context({ model: 'meta-llama/llama-3.3-70b-instruct' });
    expect((await attempt(guard, { context: free })).ok).toBe(true);
    expect((await attempt(guard, { context: free })).ok).toBe(false);
    expect((await attempt(guard, { context: otherFree })).ok).toBe(true);
    for (let index = 0; index < 5; index += 1)
      expect((await attempt(guard, { context: paid })).ok).toBe(true);
  });

  it('counts per gateway key, and does not limit a call without a key', async () => {
    const guard = guardOf({ scope: 'key', rpm: 1 });
    expect((await attempt(guard, { context: context({ caller: { key: 'team-a' } }) })).ok).toBe(true);
    expect((await attempt(guard, { context: context({ caller: { key: 'team-a' } }) })).ok).toBe(false);
    expect((await attempt(guard, { context: context({ caller: { key: 'team-b' } }) })).ok).toBe(true);
    for (let index = 0; index < 3; index += 1) {
      expect((await attempt(guard, { context: context({ caller: { user: 'alice' } }) })).ok).toBe(true);
    }
  });

  it('limits one key by an exact match, and leaves the others alone', async () => {
    const guard = guardOf({ scope: 'key', match: 'trial', rpm: 1 });
    expect((await attempt(guard, { context: context({ caller: { key: 'trial' } }) })).ok).toBe(true);
    expect(await attempt(guard, { context: context({ caller: { key: 'trial' } }) })).toMatchObject({
      ok: false,
      denial: { limit: 'key:trial rpm' },
    });
    expect((await attempt(guard, { context: context({ caller: { key: 'trial-2' } }) })).ok).toBe(true);
    expect((await attempt(guard, { context: context({ caller: { key: 'trial-2' } }) })).ok).toBe(true);
  });

  it('names a denial after the configured name', async () => {
    const guard = guardOf({ scope: 'provider', match: 'openrouter', rpm: 1, name: 'openrouter free tier' });
    await attempt(guard);
    expect(await attempt(guard)).toMatchObject({ ok: false, denial: { limit: 'openrouter free tier rpm' } });
  });
});

describe('all or nothing', () => {
  it('gives back the request counted by one counter when another counter of the limit refuses', async () => {
    const guard = guardOf({ scope: 'provider', rpm: 2, tpm: 1000 });
    expect(await attempt(guard, { tokens: 5000 })).toMatchObject({
      ok: false,
      denial: { limit: 'provider tpm' },
    });
    expect((await attempt(guard, { tokens: 10 })).ok).toBe(true);
    expect((await attempt(guard, { tokens: 10 })).ok).toBe(true);
    expect(await attempt(guard, { tokens: 10 })).toMatchObject({
      ok: false,
      denial: { limit: 'provider rpm' },
    });
  });

  it('gives back what every other limit counted when one limit refuses', async () => {
    const guard = guardOf({ scope: 'provider', rpm: 2 }, { scope: 'key', match: 'trial', rpm: 1 });
    const trial = context({ caller: { key: 'trial' } });
    const other = context({ caller: { key: 'other' } });
    expect((await attempt(guard, { context: trial })).ok).toBe(true);
    expect(await attempt(guard, { context: trial })).toMatchObject({
      ok: false,
      denial: { limit: 'key:trial rpm' },
    });
    // The refused call's provider request came back: one more fits for another key, then no more.
    expect((await attempt(guard, { context: other })).ok).toBe(true);
    expect(await attempt(guard, { context: other })).toMatchObject({
      ok: false,
      denial: { limit: 'provider rpm' },
    });
  });

  it('names the first limit in configuration order when several refuse', async () => {
    const guard = guardOf({ scope: 'key', rpm: 1, name: 'per key' }, { scope: 'provider', rpm: 1 });
    await attempt(guard);
    expect(await attempt(guard)).toMatchObject({ ok: false, denial: { limit: 'per key rpm' } });
  });

  it('release gives back every request and token the permit took', async () => {
    const guard = guardOf({ scope: 'provider', rpm: 1, tpm: 100 }, { scope: 'model', rpd: 1 });
    const first = await attempt(guard, { tokens: 100 });
    if (!first.ok) throw new Error('expected an admission');
    await first.permit.release();
    expect((await attempt(guard, { tokens: 100 })).ok).toBe(true);
    expect((await attempt(guard, { tokens: 1 })).ok).toBe(false);
  });

  it('does not carry a release after the minute into the next minute', async () => {
    const guard = guardOf({ scope: 'provider', rpm: 1 });
    const late = await attempt(guard);
    if (!late.ok) throw new Error('expected an admission');
    vi.advanceTimersByTime(60_000);
    await late.permit.release();
    expect((await attempt(guard)).ok).toBe(true);
    expect(await attempt(guard)).toMatchObject({ ok: false, denial: { limit: 'provider rpm' } });
  });
});

/** A limiter whose store does not answer. */
class DownLimiter extends RateLimiterMemory {
  constructor(
    options: ConstructorParameters<typeof RateLimiterMemory>[0],
    private readonly error: unknown,
  ) {
    super(options);
  }

  override consume(): Promise<RateLimiterRes> {
    return Promise.reject(this.error);
  }
}

describe('a store that does not answer', () => {
  const failing =
    (error: unknown, down: (keyPrefix: string) => boolean): LimiterFactory =>
    ({ points, durationSeconds, keyPrefix }) =>
      down(keyPrefix)
        ? new DownLimiter({ points, duration: durationSeconds, keyPrefix }, error)
        : memoryLimiterFactory({ points, durationSeconds, keyPrefix });

  it('refuses with StoreUnavailableError naming the counter, and gives back what was taken', async () => {
    const cause = new Error('ECONNREFUSED');
    const limits: RateLimitConfig[] = [
      { scope: 'provider', rpm: 1 },
      { scope: 'key', tpm: 100, name: 'per key' },
    ];
    const guard = createRateLimitGuard({
      limits,
      factory: failing(cause, (prefix) => prefix.endsWith(':1:tpm')),
    });
    const error = await attempt(guard).catch((caught: unknown) => caught);
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'the rate-limit store did not answer (per key tpm); the request was refused rather than served unlimited',
    );
    expect((error as Error).cause).toBe(cause);
    // The provider's request came back: a call the broken limit does not apply to still fits.
    expect((await attempt(guard, { context: context({ caller: {} }) })).ok).toBe(true);
  });

  it('passes a StoreUnavailableError from the store through as it is', async () => {
    const cause = new StoreUnavailableError({ message: 'redis is down' });
    const guard = createRateLimitGuard({
      limits: [{ scope: 'provider', rpm: 1 }],
      factory: failing(cause, () => true),
    });
    await expect(attempt(guard)).rejects.toBe(cause);
  });

  it('answers a denial rather than an error when one counter refuses and another does not answer', async () => {
    const guard = createRateLimitGuard({
      limits: [
        { scope: 'key', rpm: 1 },
        { scope: 'provider', rpm: 1 },
      ],
      factory: failing(new Error('timeout'), (prefix) => prefix.startsWith('switchyard:limit:0')),
    });
    await expect(attempt(guard, { context: context({ caller: {} }) })).resolves.toMatchObject({ ok: true });
    expect(await attempt(guard)).toEqual({
      ok: false,
      denial: { limit: 'provider rpm', retryAfterMs: 60_000 },
    });
  });
});
