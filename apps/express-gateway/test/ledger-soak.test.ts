import { formatUsd, type LedgerEntry, type LedgerStats, parseUsd, summarizeSpend } from '@switchyard/core';
import { startMockUpstream } from '@switchyard/mock-upstream';
import { describe, expect, it } from 'vitest';
import { startLogged } from './support.js';

const ADMIN_KEY = 'sk-admin-soak-0123456789';
const REQUESTS = 2_000;
const CONCURRENCY = 16;
const CAP = 200;
const SAMPLE_EVERY = 250;

describe('a soak of the memory ledger over real HTTP', () => {
  it(`holds at most ${CAP} entries over ${REQUESTS} requests, and held + evicted is every attempt and dollar`, async () => {
    // One upstream answer in ten is a 502 (retried, and now and then failing the request), so
    // failed attempts are in the ledger too, and the money of every entry must still add up.
    const mock = await startMockUpstream({ seed: 5, faults: { rates: { 502: 0.1 } } });
    const gateway = await startLogged({
      config: {
        providers: { up: { baseURL: mock.url, apiKey: 'sk-or-v1-soak-provider-key' } },
        models: {
          mini: {
            provider: 'up',
            model: 'openai/gpt-4o-mini',
            pricing: { prompt: '0.00000015', completion: '0.0000006' },
          },
        },
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        ledger: { maxEntries: CAP },
      },
      adminKey: ADMIN_KEY,
    });
    const stats = async (): Promise<LedgerStats> =>
      (await (
        await fetch(`${gateway.url}/admin/ledger/stats`, {
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
        })
      ).json()) as LedgerStats;
    try {
      let attempts = 0;
      let failed = 0;
      let spent = 0n;
      let next = 0;
      const held: number[] = [];
      const worker = async (): Promise<void> => {
        while (next < REQUESTS) {
          const index = next;
          next += 1;
          const response = await fetch(`${gateway.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: `soak ${index}` }] }),
          });
          // A request whose three tries all met a 502 fails: its attempts are in the ledger all the same.
          expect([200, 502]).toContain(response.status);
          if (response.status !== 200) failed += 1;
          await response.arrayBuffer();
          attempts += Number(response.headers.get('x-switchyard-attempts'));
          spent += parseUsd(response.headers.get('x-switchyard-cost') ?? 'missing');
          if (index % SAMPLE_EVERY === SAMPLE_EVERY - 1) held.push((await stats()).held);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      expect(attempts).toBeGreaterThan(REQUESTS); // the 502s were retried
      expect(failed).toBeLessThan(REQUESTS / 100);
      // Flat after warm-up: every sample at the cap, never above it.
      expect(held).toHaveLength(REQUESTS / SAMPLE_EVERY);
      for (const count of held) expect(count).toBe(CAP);
      const final = await stats();
      expect(final.held).toBe(CAP);
      expect(final.held + final.evicted.attempts).toBe(attempts);
      const entries = (
        (await (
          await fetch(`${gateway.url}/admin/ledger`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
        ).json()) as { entries: LedgerEntry[] }
      ).entries;
      expect(entries).toHaveLength(CAP);
      const heldCost = parseUsd(summarizeSpend(entries).costUsd);
      expect(formatUsd(parseUsd(final.evicted.costUsd) + heldCost)).toBe(formatUsd(spent));
      expect(final.evicted.byRoute['']?.attempts).toBe(final.evicted.attempts);
      expect(entries.filter((entry) => entry.outcome === 'upstream_unavailable').length).toBeGreaterThan(0);
    } finally {
      await gateway.close();
      await mock.close();
    }
  }, 60_000);
});
