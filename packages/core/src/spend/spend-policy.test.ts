import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeClock, type FakeClock } from '../../test/support/fake-clock.js';
import type { BudgetConfig, ModelConfig, RateLimitConfig, SwitchyardConfig } from '../config/config-types.js';
import { resolveConfig } from '../config/resolve-config.js';
import { StoreUnavailableError } from '../errors/store-unavailable-error.js';
import { parseUsd } from '../pricing/money.js';
import { profileRequest, type RequestProfile } from '../routing/request-profile.js';
import type { ModelTarget } from '../routing/target.js';
import { createTargetRegistry } from '../routing/target-registry.js';
import { createMemoryStore } from '../store/switchyard-store.js';
import { createBudgetGuard } from './budget-guard.js';
import type { BudgetStore } from './budget-store.js';
import { createFeeSchedule } from './fee-schedule.js';
import { createRateLimitGuard } from './rate-limit-guard.js';
import { type CallSpending, createSpendPolicy } from './spend-policy.js';
import type { Caller } from './spend-scope.js';
import { createUnpricedPolicies } from './unpriced-policy.js';

const START = Date.parse('2026-03-10T18:00:00.000Z');
/** Six hours from START to the end of its UTC day. */
const TO_MIDNIGHT_MS = 6 * 3_600_000;

// Prompt tokens are free, so a worst case is max_tokens × $0.000002: $0.002 for 1000 tokens.
const PRICING = { prompt: '0', completion: '0.000002' };
const MODELS: Record<string, ModelConfig> = {
  cheap: { provider: 'openrouter', model: 'x/cheap', pricing: PRICING },
  other: { provider: 'openrouter', model: 'x/other', pricing: PRICING },
  carded: { provider: 'card', model: 'x/cheap', pricing: PRICING },
  byok: { provider: 'byok', model: 'x/cheap', pricing: PRICING },
  unpriced: { provider: 'openrouter', model: 'x/unpriced', maxCompletionTokens: 1000 },
  unbounded: { provider: 'openrouter', model: 'x/unbounded', pricing: PRICING },
};

interface Setup {
  ceiling?: string;
  budgets?: BudgetConfig[];
  limits?: RateLimitConfig[];
  /** Replaces the memory store's budget store (a store that does not answer). */
  budgetStore?: (memory: BudgetStore) => BudgetStore;
  /** The default policy for unpriced targets. */
  unpriced?: SwitchyardConfig['unpriced'];
}

/** The policy as createRouter wires it, over the memory store and a fake clock. */
function setup(options: Setup = {}) {
  const clock: FakeClock = createFakeClock({ start: START });
  const config: SwitchyardConfig = {
    providers: {
      openrouter: { baseURL: 'http://127.0.0.1:1/api/v1' },
      card: { baseURL: 'http://127.0.0.1:1/api/v1', fee: { percent: '10' } },
      byok: { baseURL: 'http://127.0.0.1:1/api/v1', fee: { percent: '10', freeRequestsPerMonth: 5 } },
    },
    models: MODELS,
    ...(options.unpriced === undefined ? {} : { unpriced: options.unpriced }),
  };
  const registry = createTargetRegistry({
    resolved: resolveConfig(config),
    catalog: [],
    clock,
    validators: {},
  });
  const store = createMemoryStore({ clock });
  const fees = createFeeSchedule({ providers: config.providers, now: clock.now });
  const policy = createSpendPolicy({
    ceiling: options.ceiling === undefined ? undefined : parseUsd(options.ceiling),
    budgets: createBudgetGuard({
      budgets: options.budgets ?? [],
      store: options.budgetStore?.(store.budgets) ?? store.budgets,
      now: clock.now,
    }),
    limits: createRateLimitGuard({ limits: options.limits ?? [], factory: store.limiterFactory }),
    fees,
    unpriced: createUnpricedPolicies(config),
  });
  const target = (name: string): ModelTarget => registry.models.get(name) as ModelTarget;
  const admit = (
    name: string,
    request: { profile?: RequestProfile; caller?: Caller; call?: CallSpending } = {},
  ) => {
    const model = target(name);
    return policy.admit({
      target: model,
      profile: request.profile ?? ask(1000),
      context: {
        caller: request.caller ?? { key: 'team-a' },
        route: undefined,
        model: model.model,
        provider: model.provider,
      },
      call: request.call ?? {},
    });
  };
  return { policy, admit, fees, clock };
}

/** The profile of a one-message request, with a max_tokens when given. */
const ask = (maxTokens?: number): RequestProfile =>
  profileRequest({
    model: 'x',
    messages: [{ role: 'user', content: 'Summarize the attached notes.' }],
    ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
  });

const PROMPT_TOKENS = ask().promptTokens();

/** The admission of an admitted attempt, failing the test otherwise. */
async function admitted(result: ReturnType<ReturnType<typeof setup>['admit']>) {
  const outcome = await result;
  if (!outcome.ok) throw new Error(`expected an admission, got ${outcome.reason}: ${outcome.detail}`);
  return outcome.admission;
}

beforeEach(() => {
  // The rate limiters keep their windows with Date.now and timers.
  vi.useFakeTimers({ now: START });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('spend policy without limits', () => {
  it('admits at once, holding nothing, and settles without a store', () => {
    const { admit, policy } = setup();
    const result = admit('unpriced', { profile: ask() });
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual({
      ok: true,
      admission: { reservation: undefined, permit: undefined, worstCaseUsd: undefined },
    });
    if (result instanceof Promise || !result.ok) throw new Error('unreachable');
    expect(policy.settle({ admission: result.admission, cost: parseUsd('1'), tokens: 10 })).toBeUndefined();
  });
});

describe('cost ceiling', () => {
  it('admits a worst case equal to the ceiling and reports it', async () => {
    const { admit } = setup({ ceiling: '0.002' });
    const admission = await admitted(admit('cheap'));
    expect(admission.worstCaseUsd).toBe('0.002');
  });

  it('refuses a worst case over the ceiling, saying by how much and what to lower', async () => {
    const { admit } = setup({ ceiling: '0.0019' });
    expect(await admit('cheap')).toEqual({
      ok: false,
      reason: 'over_ceiling',
      detail: `cheap could cost up to $0.002 (${PROMPT_TOKENS} prompt + 1000 completion tokens), over the ceiling of $0.0019; lower max_tokens`,
    });
    expect((await admit('cheap', { profile: ask(900) })).ok).toBe(true);
  });

  it('applies the lower of the call ceiling and the configured one', async () => {
    const lowerCall = setup({ ceiling: '0.01' });
    expect(await lowerCall.admit('cheap', { call: { maxCost: parseUsd('0.001') } })).toMatchObject({
      ok: false,
      reason: 'over_ceiling',
      detail: expect.stringContaining('over the ceiling of $0.001;'),
    });
    // A call cannot raise the configured ceiling.
    const higherCall = setup({ ceiling: '0.001' });
    expect(await higherCall.admit('cheap', { call: { maxCost: parseUsd('1') } })).toMatchObject({
      ok: false,
      detail: expect.stringContaining('over the ceiling of $0.001;'),
    });
    // A call ceiling alone applies too.
    const callOnly = setup();
    expect(await callOnly.admit('cheap', { call: { maxCost: parseUsd('0.001') } })).toMatchObject({
      reason: 'over_ceiling',
    });
    expect((await callOnly.admit('cheap', { call: { maxCost: parseUsd('0.002') } })).ok).toBe(true);
  });

  it('refuses a target it cannot price under a ceiling, saying how to price or exempt it', async () => {
    const { admit } = setup({ ceiling: '1' });
    const remedies =
      'price it (models.<alias>.pricing, or a catalog entry), declare its worst case (unpriced: { worstCaseUsd: "0.05" }) or exempt it (unpriced: allow)';
    expect(await admit('unpriced')).toEqual({
      ok: false,
      reason: 'cost_unknown',
      detail: `unpriced (openrouter/x/unpriced) has no price, so the cost ceiling cannot be enforced on it: ${remedies}`,
    });
    // Priced, but with no max_tokens, no maximum completion and no context length: unbounded.
    expect(await admit('unbounded', { profile: ask() })).toMatchObject({
      ok: false,
      reason: 'cost_unknown',
      detail: `unbounded (openrouter/x/unbounded) has no completion bound (set max_tokens), so the cost ceiling cannot be enforced on it: ${remedies}`,
    });
    expect((await admit('unbounded', { profile: ask(10) })).ok).toBe(true);
  });

  it('checks a declared worst case of an unpriced target against the ceiling, and skips an exempt one', async () => {
    const declared = setup({ ceiling: '0.01', unpriced: { worstCaseUsd: '0.02' } });
    expect(await declared.admit('unpriced')).toMatchObject({ ok: false, reason: 'over_ceiling' });
    const fits = setup({ ceiling: '0.05', unpriced: { worstCaseUsd: '0.02' } });
    expect(await admitted(fits.admit('unpriced'))).toMatchObject({
      worstCaseUsd: '0.02',
      costCap: parseUsd('0.02'),
    });
    const exempt = setup({ ceiling: '0.01', unpriced: 'allow' });
    expect((await admitted(exempt.admit('unpriced'))).worstCaseUsd).toBeUndefined();
  });

  it("includes the provider's fee in the worst case", async () => {
    const { admit } = setup({ ceiling: '0.002' });
    expect(await admit('carded')).toMatchObject({
      ok: false,
      reason: 'over_ceiling',
      detail: expect.stringContaining('carded could cost up to $0.0022 '),
    });
    const exact = setup({ ceiling: '0.0022' });
    expect((await admitted(exact.admit('carded'))).worstCaseUsd).toBe('0.0022');
  });

  it('counts the fee of a BYOK provider in the worst case without using up its free requests', async () => {
    const { admit, fees } = setup({ ceiling: '0.01' });
    for (let index = 0; index < 6; index += 1) {
      expect((await admitted(admit('byok'))).worstCaseUsd).toBe('0.0022');
    }
    // The first of the 5 free requests is still free when charged.
    expect(fees.charge({ provider: 'byok', tokenCost: parseUsd('0.002') })).toBe(0n);
  });
});

describe('budgets', () => {
  const teamBudget: BudgetConfig = { scope: 'key', match: 'team-a', usd: '0.003', period: 'day' };

  it('reserves the worst case, and refuses with the budget, its spend and its reset', async () => {
    const { admit } = setup({ budgets: [teamBudget] });
    const first = await admitted(admit('cheap'));
    expect(first.reservation?.amount).toBe(parseUsd('0.002'));
    expect(first.worstCaseUsd).toBe('0.002');
    const denial = {
      budget: 'key:team-a',
      limitUsd: '0.003',
      spentUsd: '0',
      reservedUsd: '0.002',
      neededUsd: '0.002',
      resetsAt: '2026-03-11T00:00:00.000Z',
      retryAfterMs: TO_MIDNIGHT_MS,
    };
    expect(await admit('cheap')).toEqual({
      ok: false,
      reason: 'budget',
      detail:
        'budget "key:team-a" of $0.003 per period has $0 spent and $0.002 reserved; cheap needs up to $0.002; it resets at 2026-03-11T00:00:00.000Z',
      retryAfterMs: TO_MIDNIGHT_MS,
      budget: denial,
    });
    // Another key is not held by team-a's budget.
    expect((await admit('cheap', { caller: { key: 'team-b' } })).ok).toBe(true);
  });

  it('counts a retry after from the clock', async () => {
    const { admit, clock } = setup({ budgets: [teamBudget] });
    await admitted(admit('cheap'));
    clock.advance(3_600_000);
    expect(await admit('cheap')).toMatchObject({
      reason: 'budget',
      retryAfterMs: TO_MIDNIGHT_MS - 3_600_000,
    });
    // The next day the budget starts over.
    clock.advance(TO_MIDNIGHT_MS - 3_600_000);
    expect((await admit('cheap')).ok).toBe(true);
  });

  it("takes a call's budgets when none is configured", async () => {
    const { admit } = setup();
    const call = {
      budgets: [{ scope: 'global', usd: '0.001', period: 'day', name: 'summaries' }] as BudgetConfig[],
    };
    const result = admit('cheap', { call });
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toMatchObject({
      ok: false,
      reason: 'budget',
      detail: expect.stringMatching(/^budget "summaries" of \$0\.001 per period has \$0 spent/),
      budget: { budget: 'summaries', neededUsd: '0.002' },
    });
  });

  it('refuses a target it cannot price under a budget, unless its policy declares a worst case or exempts it', async () => {
    const denied = setup({ budgets: [teamBudget] });
    expect(await denied.admit('unpriced')).toMatchObject({
      ok: false,
      reason: 'cost_unknown',
      detail: expect.stringContaining('has no price, so a budget cannot be enforced on it'),
    });
    // A caller no budget counts is not held to money rules.
    expect((await denied.admit('unpriced', { caller: { key: 'team-b' } })).ok).toBe(true);
    const declared = setup({ budgets: [teamBudget], unpriced: { worstCaseUsd: '0.002' } });
    const held = await admitted(declared.admit('unpriced'));
    expect(held).toMatchObject({ worstCaseUsd: '0.002', costCap: parseUsd('0.002') });
    expect(held.reservation?.amount).toBe(parseUsd('0.002'));
    expect(await declared.admit('unpriced')).toMatchObject({ ok: false, reason: 'budget' });
    const exempt = setup({ budgets: [teamBudget], unpriced: 'allow' });
    const free = await admitted(exempt.admit('unpriced'));
    expect(free.worstCaseUsd).toBeUndefined();
    expect(free.reservation?.amount ?? 0n).toBe(0n);
    // Nothing was held: the whole budget is left for priced calls.
    await admitted(exempt.admit('cheap', { profile: ask(1500) }));
  });
});

describe('rate limits', () => {
  it('refuses with the limit and when to retry', async () => {
    const { admit } = setup({ limits: [{ scope: 'provider', rpm: 1 }] });
    const admission = await admitted(admit('cheap'));
    expect(admission.reservation).toBeUndefined();
    vi.advanceTimersByTime(15_500);
    expect(await admit('other')).toEqual({
      ok: false,
      reason: 'rate_limit',
      detail: 'other is over the rate limit provider rpm; retry in 45 s',
      retryAfterMs: 44_500,
    });
    // The permit holds the request it counted: given back, the provider has room again.
    await admission.permit?.release();
    expect((await admit('other')).ok).toBe(true);
  });

  it('counts the prompt and the worst-case completion against tokens per minute', async () => {
    const tokens = PROMPT_TOKENS + 1000;
    const { admit } = setup({ limits: [{ scope: 'provider', tpm: tokens }] });
    await admitted(admit('cheap'));
    expect(await admit('cheap', { profile: ask(1) })).toMatchObject({
      reason: 'rate_limit',
      detail: expect.stringContaining('provider tpm'),
    });
  });
});

describe('giving back what was taken', () => {
  it('returns the rate-limit request when the budget refuses', async () => {
    const { admit } = setup({
      budgets: [{ scope: 'key', match: 'poor', usd: '0.001', period: 'day' }],
      limits: [{ scope: 'provider', rpm: 1 }],
    });
    expect(await admit('cheap', { caller: { key: 'poor' } })).toMatchObject({ reason: 'budget' });
    // The refused call's request came back: one more fits this minute, then no more.
    await admitted(admit('cheap', { caller: { key: 'rich' } }));
    expect(await admit('cheap', { caller: { key: 'rich' } })).toMatchObject({ reason: 'rate_limit' });
  });

  it('returns the budget reservation when the rate limit refuses', async () => {
    const { admit } = setup({
      budgets: [{ scope: 'global', usd: '0.004', period: 'day' }],
      limits: [{ scope: 'model', match: 'x/cheap', rpm: 1 }],
    });
    await admitted(admit('cheap'));
    expect(await admit('cheap')).toMatchObject({ reason: 'rate_limit' });
    // Only the admitted call holds $0.002 of the $0.004: another fits, then no more.
    await admitted(admit('other'));
    expect(await admit('other')).toMatchObject({
      reason: 'budget',
      budget: { spentUsd: '0', reservedUsd: '0.004' },
    });
  });

  it('reports the budget when the budget and the rate limit both refuse', async () => {
    const { admit } = setup({
      budgets: [{ scope: 'global', usd: '0.002', period: 'day' }],
      limits: [{ scope: 'provider', rpm: 1 }],
    });
    await admitted(admit('cheap'));
    expect(await admit('cheap')).toMatchObject({ reason: 'budget', budget: { reservedUsd: '0.002' } });
  });

  it('rejects with the store error when the budget store does not answer, returning the request', async () => {
    const down = new StoreUnavailableError({ message: 'the budget store did not answer' });
    let answering = false;
    const { admit } = setup({
      budgets: [{ scope: 'global', usd: '1', period: 'day' }],
      limits: [{ scope: 'provider', rpm: 1 }],
      budgetStore: (memory) => ({
        ...memory,
        reserve: (request) => (answering ? memory.reserve(request) : Promise.reject(down)),
      }),
    });
    await expect(admit('cheap')).rejects.toBe(down);
    answering = true;
    await admitted(admit('cheap'));
    expect(await admit('cheap')).toMatchObject({ reason: 'rate_limit' });
  });
});

describe('settle', () => {
  it('replaces the reservation with the actual cost', async () => {
    const { admit, policy } = setup({ budgets: [{ scope: 'global', usd: '0.003', period: 'day' }] });
    const first = await admitted(admit('cheap'));
    const settled = policy.settle({
      admission: first,
      cost: parseUsd('0.0005'),
      tokens: PROMPT_TOKENS + 250,
    });
    expect(settled).toBeInstanceOf(Promise);
    await settled;
    // $0.0005 spent + $0.002 reserved fits in $0.003; a third does not.
    await admitted(admit('cheap'));
    expect(await admit('cheap')).toMatchObject({
      reason: 'budget',
      budget: { spentUsd: '0.0005', reservedUsd: '0.002' },
    });
  });

  it('releases the reservation of an attempt that cost nothing', async () => {
    const { admit, policy } = setup({ budgets: [{ scope: 'global', usd: '0.002', period: 'day' }] });
    const first = await admitted(admit('cheap'));
    await policy.settle({ admission: first, cost: 0n, tokens: 0 });
    await admitted(admit('cheap'));
  });

  it('gives back the tokens per minute an attempt did not use', async () => {
    const tokens = PROMPT_TOKENS + 1000;
    const { admit, policy } = setup({ limits: [{ scope: 'provider', tpm: 2 * tokens - 1 }] });
    const first = await admitted(admit('cheap'));
    // Only rate limits: nothing to wait for.
    expect(
      policy.settle({ admission: first, cost: parseUsd('0.0002'), tokens: PROMPT_TOKENS + 100 }),
    ).toBeUndefined();
    await vi.advanceTimersByTimeAsync(0);
    await admitted(admit('cheap'));
    expect(await admit('cheap')).toMatchObject({ reason: 'rate_limit' });
  });
});
