import type { SwitchyardConfig } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startLogged } from './support.js';

const REQUESTS = 3_000;
const CONCURRENCY = 32;
const MODEL = 'openai/gpt-4o-mini';

/**
 * About 30% of each upstream's answers fail, in the ways real ones do: 5xx, 429 with
 * `Retry-After: 1`, HTTP-200 error bodies, reset connections, answers that never come (cut by the
 * attempt timeout), and slow answers. Each upstream has its own seed, so the mix is the same on
 * every run.
 */
const FAULT_MIX = {
  rates: {
    500: 0.06,
    502: 0.04,
    503: 0.03,
    429: 0.06,
    'error-200': 0.04,
    reset: 0.04,
    stall: 0.01,
    slow: 0.02,
  },
  slowMs: 300,
} as const;

const chaosConfig = (mocks: readonly MockUpstream[]): SwitchyardConfig => ({
  providers: Object.fromEntries(
    mocks.map((mock, index) => [`up${index}`, { baseURL: mock.url, apiKey: 'sk-or-v1-chaos-provider-key' }]),
  ),
  models: Object.fromEntries(
    mocks.map((_, index) => [
      `t${index}`,
      { provider: `up${index}`, model: MODEL, pricing: { prompt: '0.00000015', completion: '0.0000006' } },
    ]),
  ),
  routes: { default: { strategy: 'fallback', targets: mocks.map((_, index) => `t${index}`) } },
  // Three passes over the chain, at most 12 attempts, waiting out a Retry-After of up to 2 s.
  retry: { rounds: 3, maxRequestAttempts: 12, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 2_000 },
  // Generous for a shared, loaded CPU: a starved gateway must not time its own attempts out.
  timeouts: { attemptMs: 1_500, totalMs: 15_000 },
  // At 30% random faults the default breaker (5 failures with no success between) opens on every
  // target within a few hundred attempts; a breaker is for a target that is down, not noisy.
  breaker: { failureThreshold: 20, windowMs: 10_000, cooldownMs: 1_000 },
});

describe('chaos: three upstreams failing 30% of the time in mixed ways', () => {
  it(`serves >= 99.9% of ${REQUESTS} requests at ${CONCURRENCY} connections, none hung, none an empty 200`, async () => {
    const mocks = await Promise.all(
      [11, 12, 13].map((seed) => startMockUpstream({ seed, faults: FAULT_MIX })),
    );
    const gateway = await startLogged({ config: chaosConfig(mocks) });
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: 'anything',
      maxRetries: 0,
      timeout: 15_000,
    });
    try {
      const started = performance.now();
      let next = 0;
      let served = 0;
      let emptyAnswers = 0;
      const failures: string[] = [];
      const attempts: number[] = [];
      const worker = async (): Promise<void> => {
        while (next < REQUESTS) {
          const index = next;
          next += 1;
          try {
            const { data, response } = await client.chat.completions
              .create({ model: 'default', messages: [{ role: 'user', content: `chaos ${index}` }] })
              .withResponse();
            attempts.push(Number(response.headers.get('x-switchyard-attempts')));
            const content = data.choices[0]?.message.content ?? '';
            if (content.length === 0) emptyAnswers += 1;
            else served += 1;
          } catch (error) {
            failures.push(error instanceof Error ? error.message : String(error));
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const seconds = (performance.now() - started) / 1000;
      // Every upstream request is in its mock's log (each holds 10,000; fewer are made here).
      const logged = mocks.flatMap((mock) => mock.requests);
      const upstreamFaults = logged.filter((request) => request.step !== undefined).length;
      const rate = served / REQUESTS;
      process.stdout.write(
        `chaos: ${served}/${REQUESTS} served (${(rate * 100).toFixed(2)}%), ${failures.length} failed, ` +
          `${emptyAnswers} empty; attempts per served request max ${Math.max(...attempts)}, ` +
          `mean ${(attempts.reduce((sum, value) => sum + value, 0) / attempts.length).toFixed(2)}; ` +
          `${upstreamFaults} of ${logged.length} upstream answers were faults; ${seconds.toFixed(1)} s\n`,
      );
      for (const failure of failures) process.stdout.write(`  failed: ${failure}\n`);
      expect(served + failures.length + emptyAnswers).toBe(REQUESTS); // every request finished
      expect(emptyAnswers).toBe(0);
      expect(rate).toBeGreaterThanOrEqual(0.999);
      // The faults were real: around 30% of upstream answers failed.
      expect(logged.length).toBeLessThan(mocks.length * 10_000);
      expect(upstreamFaults / logged.length).toBeGreaterThan(0.25);
    } finally {
      await gateway.close();
      await Promise.all(mocks.map((mock) => mock.close()));
    }
  }, 120_000);
});
