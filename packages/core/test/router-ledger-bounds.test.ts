import { describe, expect, it } from 'vitest';
import { formatUsd, parseUsd } from '../src/pricing/money.js';
import { summarizeSpend } from '../src/spend/spend-ledger.js';
import { ask, startFixture } from './support/fixture.js';

const CHEAP = 'meta-llama/llama-3.3-70b-instruct';

describe('the router’s memory ledger, bounded by the config’s ledger section', () => {
  it('holds at most maxEntries, and counts what it evicted so the spend adds up', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: { cheap: { provider: 'mock', model: CHEAP } },
        routes: { default: { strategy: 'fallback' as const, targets: ['cheap'] } },
        ledger: { maxEntries: 3 },
        retry: { baseDelayMs: 0 },
      }),
    });
    mock.script(CHEAP, [{ kind: 'error', status: 502 }]); // the first request fails once, then serves
    let traced = 0n;
    let attempts = 0;
    for (let index = 0; index < 8; index += 1) {
      const { trace } = await router.chat(ask('default', `question ${index}`));
      traced += parseUsd(trace.costUsd);
      attempts += trace.attempts.length;
    }
    expect(attempts).toBe(9);
    const held = await router.ledger.query();
    expect(held).toHaveLength(3);
    const stats = await router.ledger.stats?.();
    expect(stats?.held).toBe(3);
    expect(stats?.evicted.attempts).toBe(6);
    expect(stats?.evicted.byRoute.default?.attempts).toBe(6);
    expect(formatUsd(parseUsd(stats?.evicted.costUsd ?? 'x') + parseUsd(summarizeSpend(held).costUsd))).toBe(
      formatUsd(traced),
    );
    expect(traced).toBeGreaterThan(0n);
  });

  it('keeps 100,000 entries by default', async () => {
    const { router } = await startFixture({
      config: () => ({ models: { cheap: { provider: 'mock', model: CHEAP } } }),
    });
    expect(await router.ledger.stats?.()).toMatchObject({
      held: 0,
      maxEntries: 100_000,
      retentionSeconds: undefined,
    });
  });
});
