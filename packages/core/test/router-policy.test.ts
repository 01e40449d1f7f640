import type { MockUpstream } from '@switchyard/mock-upstream';
import { createSpecOracle } from '@switchyard/spec-oracle';
import { describe, expect, it } from 'vitest';
import { createRequestClient } from '../src/node/create-request-client.js';
import { formatUsd, parseUsd } from '../src/pricing/money.js';
import { type LedgerEntry, ledgerToCsv } from '../src/spend/spend-ledger.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

/** The `provider` object of the mock's n-th request. */
const sentProvider = (mock: MockUpstream, index: number): unknown =>
  (mock.requests[index]?.body as { provider?: unknown } | undefined)?.provider;

const FAST = 'openai/gpt-4o-mini';
const PREMIUM = 'anthropic/claude-sonnet-4.6';
const CHEAP = 'meta-llama/llama-3.3-70b-instruct';

const policyConfig = (baseURL: string) => ({
  providers: {
    openrouter: { baseURL, apiKey: 'sk-or-v1-fixture-secret-0123456789', providerPreferences: true },
    plain: { baseURL, apiKey: 'sk-or-v1-fixture-secret-0123456789' },
  },
  models: {
    fast: {
      provider: 'openrouter',
      model: FAST,
      pricing: { prompt: '0.00000015', completion: '0.0000006' },
      providerPolicy: { quantizations: ['fp8' as const, 'fp16' as const] },
    },
    premium: {
      provider: 'openrouter',
      model: PREMIUM,
      pricing: { prompt: '0.000003', completion: '0.000015' },
    },
    cheap: { provider: 'plain', model: CHEAP, pricing: { prompt: '0.0000001', completion: '0.0000003' } },
  },
  routes: {
    private: {
      strategy: 'fallback' as const,
      targets: ['fast', 'premium'],
      providerPolicy: { data_collection: 'deny' as const, only: ['openai', 'anthropic'] },
    },
    outer: {
      strategy: 'fallback' as const,
      targets: ['private'],
      providerPolicy: { max_price: { prompt: '1' }, ignore: ['azure'] },
    },
    mixed: { strategy: 'fallback' as const, targets: ['cheap', 'premium'] },
    retained: { strategy: 'fallback' as const, targets: ['fast', 'cheap'], providerPolicy: { zdr: true } },
    smart: {
      strategy: 'conditional' as const,
      rules: [{ when: { 'caller.user': { $regex: '^vip-' } }, target: 'outer' }],
      default: 'mixed',
    },
  },
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
});

describe('provider policies through the router', () => {
  it('merges nested routes, the alias, the call and the request, and records the policy on the trace and the ledger', async () => {
    const { router, mock } = await startFixture({ config: policyConfig });
    const { trace } = await router.chat(
      ask('outer', 'hello', { provider: { max_price: { prompt: 3, completion: 2 }, order: ['openai'] } }),
      { policy: { zdr: true }, caller: { key: 'team-a' } },
    );
    const expected = {
      order: ['openai'],
      max_price: { prompt: '1', completion: '2' },
      data_collection: 'deny',
      zdr: true,
      only: ['openai', 'anthropic'],
      ignore: ['azure'],
      quantizations: ['fp8', 'fp16'],
    };
    expect(sentProvider(mock, 0)).toEqual(expected);
    const { valid, errors } = createSpecOracle().validate('ProviderPreferences', sentProvider(mock, 0));
    expect(valid, String(errors)).toBe(true);
    expect(trace.attempts[0]?.policy).toEqual(expected);
    expect(trace.policyTightened).toEqual(['max_price']);
    expect(trace.served?.upstreamProvider).toBe('OpenAI');
    const [entry] = await router.ledger.query({ key: 'team-a' });
    expect(entry).toMatchObject({ upstreamProvider: 'OpenAI', policy: expected, outcome: 'success' });
    // The CSV export carries both: the provider, and the policy as JSON in one quoted cell.
    const [header, row] = ledgerToCsv([entry as LedgerEntry]).split('\r\n');
    expect(header).toMatch(/,upstreamProvider,policy$/);
    const [, provider, policy] = row?.match(/,([^,]*),"(\{.*\})"$/) ?? [];
    expect(provider).toBe('OpenAI');
    expect(JSON.parse(policy?.replaceAll('""', '"') ?? '')).toEqual(expected);
  });

  it('falls back on a served provider outside only, keeps its cost in the ledger, and flags the trace', async () => {
    const { router, mock } = await startFixture({ config: policyConfig });
    mock.script(FAST, [{ kind: 'success', servedProvider: 'Azure' }]);
    const { trace } = await router.chat(ask('private'), { caller: { key: 'k' } });
    expect(trace.policyViolation).toBe(true);
    expect(trace.fallback).toBe(true);
    expect(trace.attempts.map((attempt) => [attempt.outcome, attempt.upstreamProvider])).toEqual([
      ['policy_violation', 'Azure'],
      ['success', 'Anthropic'],
    ]);
    expect(trace.attempts[0]?.message).toContain('served by "Azure", outside the provider policy\'s only');
    const entries = await router.ledger.query({ key: 'k' });
    expect(entries.map((entry) => entry.outcome)).toEqual(['policy_violation', 'success']);
    expect(parseUsd(entries[0]?.costUsd as string)).toBeGreaterThan(0n);
    expect(trace.costUsd).toBe(formatUsd(entries.reduce((sum, entry) => sum + parseUsd(entry.costUsd), 0n)));
  });

  it('checks the served provider of a stream too', async () => {
    const { router, mock } = await startFixture({ config: policyConfig });
    mock.script(FAST, [{ kind: 'success', servedProvider: 'Azure' }]);
    const stream = await router.stream(ask('private'));
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toContain(`Mock reply from ${PREMIUM}`);
    expect(stream.trace.policyViolation).toBe(true);
    expect(stream.trace.attempts[0]?.outcome).toBe('policy_violation');
  });

  it('fails with a 404 naming the skips when no target can honour the policy', async () => {
    const { router, mock } = await startFixture({ config: policyConfig });
    const error = await rejectionOf(
      router.chat(ask('cheap', 'hi', { provider: { data_collection: 'deny' } })),
    );
    expect(error).toMatchObject({ code: 'not_supported', status: 404 });
    expect(error.message).toContain('cheap: policy:data_collection');
    expect(mock.requests).toHaveLength(0);
  });

  it('retries in place when the only other target cannot honour the policy', async () => {
    const { router, mock } = await startFixture({ config: policyConfig });
    mock.script(FAST, [{ kind: 'error', status: 503 }]);
    const { trace } = await router.chat(ask('retained'));
    expect(trace.attempts.map((attempt) => [attempt.target, attempt.outcome])).toEqual([
      ['fast', 'upstream_unavailable'],
      ['fast', 'success'],
    ]);
    expect(mock.requests.map((request) => request.model)).toEqual([FAST, FAST]);
  });

  it("keeps a request client's policy on every call, merged with the call's own", async () => {
    const { router, mock } = await startFixture({ config: policyConfig });
    const client = createRequestClient({ router, caller: { key: 'k' }, policy: { data_collection: 'deny' } });
    await client.chat(ask('premium', 'hi', { provider: { data_collection: 'allow' } }), {
      policy: { zdr: true },
    });
    expect(sentProvider(mock, 0)).toEqual({ data_collection: 'deny', zdr: true });
    expect(client.traces[0]?.policyTightened).toEqual(['data_collection']);
  });

  it("finds a request client's policy from its lazy caller, once, for every call", async () => {
    const { router, mock } = await startFixture({ config: policyConfig });
    const asked: string[] = [];
    const client = createRequestClient({
      router,
      caller: async () => ({ key: 'eu-tenant' }),
      policy: (caller) => {
        asked.push(caller.key ?? '');
        return caller.key === 'eu-tenant' ? { zdr: true } : undefined;
      },
    });
    await client.chat(ask('premium'));
    await client.chat(ask('premium'), { policy: { order: ['anthropic'] } });
    expect([sentProvider(mock, 0), sentProvider(mock, 1)]).toEqual([
      { zdr: true },
      { zdr: true, order: ['anthropic'] },
    ]);
    expect(asked).toEqual(['eu-tenant']);
  });

  it('leaves a request without policies as it was: no provider field added', async () => {
    const { router, mock } = await startFixture({ config: policyConfig });
    const { trace } = await router.chat(ask('premium'));
    expect(mock.requests[0]?.body).not.toHaveProperty('provider');
    expect(trace.attempts[0]).not.toHaveProperty('policy');
    expect(trace.policyTightened).toBeUndefined();
  });

  it('records which rule of a conditional route matched, and applies the picked route policies', async () => {
    const { router, mock } = await startFixture({ config: policyConfig });
    const vip = await router.chat(ask('smart', 'hi', { user: 'vip-7' }));
    expect(vip.trace.rules).toEqual([{ route: 'smart', rule: 0, target: 'outer' }]);
    expect(vip.trace.served?.target).toBe('fast');
    expect(sentProvider(mock, 0)).toMatchObject({ data_collection: 'deny' });
    const other = await router.chat(ask('smart', 'hi', { user: 'someone' }));
    expect(other.trace.rules).toEqual([{ route: 'smart', rule: 'default', target: 'mixed' }]);
    expect(other.trace.served?.target).toBe('cheap');
    expect(mock.requests[1]?.body).not.toHaveProperty('provider');
  });
});
