import { describe, expect, it } from 'vitest';
import type { RoutingError } from '../src/errors/routing-error.js';
import { parseUsd } from '../src/pricing/money.js';
import { ledgerToCsv, ledgerToJson, summarizeSpend } from '../src/spend/spend-ledger.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const PAID = 'meta-llama/llama-3.3-70b-instruct';

describe('rate limits', () => {
  it('moves from the :free variant to the paid one after 20 requests in a minute', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          free: { provider: 'mock', model: FREE, pricing: { prompt: '0', completion: '0' } },
          paid: { provider: 'mock', model: PAID, pricing: { prompt: '0.00000012', completion: '0.0000003' } },
        },
        routes: { llama: { strategy: 'fallback' as const, targets: ['free', 'paid'] } },
        limits: [{ scope: 'model' as const, match: '*:free', rpm: 20, rpd: 50 }],
      }),
    });
    const served: string[] = [];
    for (let index = 0; index < 25; index += 1) {
      const { trace } = await router.chat(ask('llama'));
      served.push(trace.served?.target ?? '');
    }
    expect(served).toEqual([...Array(20).fill('free'), ...Array(5).fill('paid')]);
    expect(mock.requests.filter((request) => request.model === FREE)).toHaveLength(20);
    const last = await router.chat(ask('llama'));
    expect(last.trace.skipped[0]).toMatchObject({ target: 'free', reason: 'rate_limit' });
    expect(last.trace.skipped[0]?.detail).toMatch(
      /^free is over the rate limit model:\*:free rpm; retry in \d+ s$/,
    );
  });

  it('answers rate_limited with the earliest retry time when no target is left', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: { free: { provider: 'mock', model: FREE } },
        limits: [{ scope: 'key' as const, rpm: 2 }],
      }),
    });
    const caller = { key: 'team-a' };
    await router.chat(ask('free'), { caller });
    await router.chat(ask('free'), { caller });
    const error = (await rejectionOf(router.chat(ask('free'), { caller }))) as unknown as RoutingError;
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    expect(error.headers['retry-after']).toBe(String(Math.ceil((error.retryAfterMs ?? 0) / 1000)));
    expect(mock.requests).toHaveLength(2);
    // Another key has its own counter.
    await router.chat(ask('free'), { caller: { key: 'team-b' } });
  });

  it('counts tokens per minute with the worst case, refunding what was not used', async () => {
    const { router } = await startFixture({
      config: () => ({
        models: { paid: { provider: 'mock', model: PAID } },
        limits: [{ scope: 'provider' as const, tpm: 3000 }],
      }),
    });
    // Each request reserves prompt + 1000 tokens; the unused part comes back after the call.
    for (let index = 0; index < 5; index += 1) await router.chat(ask('paid', 'hi', { max_tokens: 1000 }));
    const error = await rejectionOf(
      Promise.all(Array.from({ length: 4 }, () => router.chat(ask('paid', 'hi', { max_tokens: 1000 })))),
    );
    expect(error).toMatchObject({ code: 'rate_limited' });
  });
});

describe('costs and the ledger', () => {
  it('adds the platform fee, keeps the reported cost and flags a mismatch', async () => {
    const { router, mock } = await startFixture({
      config: (baseURL) => ({
        providers: { mock: { baseURL, apiKey: 'sk-or-v1-ledger-test-key', fee: { percent: '5.5' } } },
        models: {
          // The mock prices this model like the catalog: no mismatch.
          exact: {
            provider: 'mock',
            model: 'openai/gpt-4o-mini',
            pricing: { prompt: '0.00000015', completion: '0.0000006' },
          },
          // A stale price: the reported cost differs by far more than 5%.
          stale: {
            provider: 'mock',
            model: 'openai/gpt-4o-mini',
            pricing: { prompt: '0.0000015', completion: '0.000006' },
          },
        },
      }),
    });
    mock.setReply('openai/gpt-4o-mini', 'Four short words here.');
    const exact = (await router.chat(ask('exact'))).trace.attempts[0];
    expect(exact?.costMismatch).toBe(false);
    expect(exact?.reportedCostUsd).toBe(exact?.tokenCostUsd);
    expect(parseUsd(exact?.feeUsd ?? '')).toBe((parseUsd(exact?.tokenCostUsd ?? '') * 55n + 500n) / 1000n);
    expect(parseUsd(exact?.costUsd ?? '')).toBe(
      parseUsd(exact?.tokenCostUsd ?? '') + parseUsd(exact?.feeUsd ?? ''),
    );
    const stale = (await router.chat(ask('stale'))).trace.attempts[0];
    expect(stale?.costMismatch).toBe(true);
    expect(parseUsd(stale?.tokenCostUsd ?? '')).toBe(parseUsd(exact?.tokenCostUsd ?? '') * 10n);
  });

  it('never trusts an absurd reported cost: the catalog price wins, or a cap when there is none', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          // In the bundled catalog: priced there.
          priced: { provider: 'mock', model: 'openai/gpt-4o-mini' },
          // In no catalog: only the upstream's figure is there to go by.
          unpriced: { provider: 'mock', model: 'mock/small-8k' },
        },
        costCheck: { maxReportedUsd: '1' },
      }),
    });
    mock.script('openai/gpt-4o-mini', [{ kind: 'success', usage: { cost: 4200 } }]);
    mock.script('mock/small-8k', [{ kind: 'success', usage: { cost: 4200 } }]);
    const priced = (await router.chat(ask('priced'))).trace.attempts[0];
    expect(priced).toMatchObject({ reportedCostUsd: '4200', costMismatch: true });
    expect(parseUsd(priced?.tokenCostUsd ?? '')).toBeLessThan(parseUsd('0.001'));
    const unpriced = (await router.chat(ask('unpriced'))).trace.attempts[0];
    expect(unpriced).toMatchObject({ reportedCostUsd: '4200', tokenCostUsd: '1', costMismatch: true });
  });

  it('waives the fee within a BYOK allowance, then charges it', async () => {
    const { router } = await startFixture({
      config: (baseURL) => ({
        providers: {
          mock: { baseURL, apiKey: 'sk-or-v1-byok-test-key', fee: { percent: '5', freeRequestsPerMonth: 2 } },
        },
        models: {
          paid: { provider: 'mock', model: PAID, pricing: { prompt: '0.00000012', completion: '0.0000003' } },
        },
      }),
    });
    const fees: string[] = [];
    for (let index = 0; index < 3; index += 1) fees.push((await router.chat(ask('paid'))).trace.feeUsd);
    expect(fees.slice(0, 2)).toEqual(['0', '0']);
    expect(parseUsd(fees[2] ?? '')).toBeGreaterThan(0n);
  });

  it('records every settled attempt, failed ones included, queryable and exportable', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          a: {
            provider: 'mock',
            model: 'openai/gpt-4o-mini',
            pricing: { prompt: '0.00000015', completion: '0.0000006' },
          },
          b: {
            provider: 'mock',
            model: 'deepseek/deepseek-chat',
            pricing: { prompt: '0.00000027', completion: '0.0000011' },
          },
        },
        routes: { default: { strategy: 'fallback' as const, targets: ['a', 'b'] } },
      }),
    });
    mock.script('openai/gpt-4o-mini', [{ kind: 'error', status: 503 }]);
    const first = await router.chat(ask('default'), {
      caller: { key: 'team-a', user: 'alice', tags: ['summaries'] },
    });
    await router.chat(ask('b'), { caller: { key: 'team-b' } });
    const all = await router.ledger.query();
    expect(all.map((entry) => [entry.key, entry.target, entry.outcome])).toEqual([
      ['team-a', 'a', 'upstream_unavailable'],
      ['team-a', 'b', 'success'],
      ['team-b', 'b', 'success'],
    ]);
    const teamA = await router.ledger.query({ key: 'team-a' });
    expect(summarizeSpend(teamA).costUsd).toBe(first.trace.costUsd);
    expect(await router.ledger.query({ tag: 'summaries', outcome: 'success' })).toHaveLength(1);
    expect(await router.ledger.query({ route: 'default', model: 'deepseek/deepseek-chat' })).toHaveLength(1);
    expect(await router.ledger.query({ from: Date.now() + 60_000 })).toEqual([]);
    const csv = ledgerToCsv(all);
    expect(csv.split('\r\n')[0]).toBe(
      'time,requestId,attempt,key,user,tags,route,target,provider,model,servedModel,outcome,promptTokens,completionTokens,tokenCostUsd,feeUsd,costUsd,reportedCostUsd,costMismatch,estimated,costBasis,sentModelCostUsd,savedUsd,operation,door,latencyMs,upstreamProvider,policy',
    );
    expect(csv.split('\r\n')).toHaveLength(5);
    expect(JSON.parse(ledgerToJson(all)).summary.attempts).toBe(3);
  });
});
