import { expect, it } from 'vitest';
import { GATEWAY_KEYS, MODELS } from './suite-config.js';
import { ask, type ErrorBody, openAIClient, type SuiteContext, send } from './suite-context.js';

const CHAT = '/chat/completions';

/** The `provider` object the mock received in its only request (or its n-th). */
const sentProvider = (context: SuiteContext, index = 0): unknown =>
  (context.mock.requests[index]?.body as { provider?: unknown } | undefined)?.provider;

/** Asserts that a `provider` object is valid by OpenRouter's `ProviderPreferences` schema. */
function expectPreferences(context: SuiteContext, value: unknown): void {
  const { valid, errors } = context.oracle.validate('ProviderPreferences', value);
  expect(valid, `not valid ProviderPreferences: ${String(errors)}`).toBe(true);
}

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'weather',
    description: 'The weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

/**
 * Provider policies (a route's, a key's, the request's own `provider` object, merged stricter-wins),
 * `allow_fallbacks: false`, unknown names in `models`, and conditional routing, as a client sees
 * them: the upstream body (the mock's request log), the `x-switchyard-*` headers and the log line.
 */
export function definePolicyTests(context: SuiteContext): void {
  it("sends the route's data policy upstream, merged with the request's provider object", async () => {
    const { response } = await openAIClient(context)
      .chat.completions.create({
        ...ask('private', 'Keep this private.'),
        // @ts-expect-error OpenRouter's provider object is no field of OpenAI's request type
        provider: { zdr: true, ignore: ['together'], sort: 'price' },
      })
      .withResponse();
    expect(response.headers.get('x-switchyard-model')).toBe(MODELS.fast);
    expect(context.mock.requests).toHaveLength(1);
    expect(sentProvider(context)).toEqual({
      zdr: true,
      ignore: ['deepinfra', 'together'],
      sort: 'price',
      data_collection: 'deny',
    });
    expectPreferences(context, sentProvider(context));
    expect(response.headers.get('x-switchyard-policy-tightened')).toBeNull();
  });

  it("never lets a request loosen its key's policy: config wins and the tightening is shown", async () => {
    const response = await send(context, {
      path: CHAT,
      key: GATEWAY_KEYS.private,
      body: {
        ...ask('private', 'Let them train on it.'),
        provider: { data_collection: 'allow', only: ['openai', 'deepinfra'] },
      },
    });
    expect(response.status).toBe(200);
    expect(sentProvider(context)).toEqual({
      data_collection: 'deny',
      only: ['openai'],
      ignore: ['deepinfra'],
    });
    expectPreferences(context, sentProvider(context));
    expect(response.headers.get('x-switchyard-policy-tightened')).toBe('data_collection, only');
  });

  it('passes over a target whose provider cannot promise the policy, with the reason in x-switchyard-skipped', async () => {
    const response = await send(context, { path: CHAT, body: ask('zdr', 'Retain nothing.') });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-skipped')).toBe('cheap:policy:zdr');
    expect(response.headers.get('x-switchyard-model')).toBe(MODELS.fast);
    expect(context.mock.requests.map((request) => request.model)).toEqual([MODELS.fast]);
    expect(sentProvider(context)).toEqual({ zdr: true });
  });

  it('falls back when the provider that served is one the policy ignores, and records the violation', async () => {
    context.mock.script(MODELS.fast, [{ kind: 'success', servedProvider: 'DeepInfra' }]);
    const { data, response } = await openAIClient(context)
      .chat.completions.create(ask('private', 'Who served this?'))
      .withResponse();
    expect(data.choices[0]?.message.content).toContain(`Mock reply from ${MODELS.premium}`);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(response.headers.get('x-switchyard-model')).toBe(MODELS.premium);
    // The ignored provider's answer was paid for: the cost covers both attempts.
    const cost = Number(response.headers.get('x-switchyard-cost'));
    expect(cost).toBeGreaterThan(0);
    expect((data.usage as { cost?: number } | undefined)?.cost).toBe(cost);
    const requestId = response.headers.get('x-switchyard-request-id') as string;
    await expect
      .poll(() => context.gateway.logs.find((line) => line.includes(requestId)))
      .toMatch(/"policyViolation":true/);
  });

  it('stops after the first target when the request says allow_fallbacks: false', async () => {
    context.mock.script(MODELS.premium, [{ kind: 'error', status: 503, times: 5 }]);
    const response = await send(context, {
      path: CHAT,
      body: { ...ask('default', 'Only the first, please.'), provider: { allow_fallbacks: false } },
    });
    expect(response.status).toBe(502);
    expect(((await response.json()) as ErrorBody).error.message).toMatch(/premium/);
    const models = context.mock.requests.map((request) => request.model);
    expect(models.length).toBeGreaterThan(0);
    expect(models.every((model) => model === MODELS.premium)).toBe(true);
    // Without it, the same failure falls back to `cheap`.
    context.mock.reset();
    context.mock.script(MODELS.premium, [{ kind: 'error', status: 503, times: 5 }]);
    const fallback = await send(context, { path: CHAT, body: ask('default', 'Any target will do.') });
    expect(fallback.status).toBe(200);
    expect(fallback.headers.get('x-switchyard-model')).toBe(MODELS.cheap);
  });

  it("stops after the first target when the route's policy says allow_fallbacks: false", async () => {
    context.mock.script(MODELS.premium, [{ kind: 'error', status: 503, times: 5 }]);
    const response = await send(context, { path: CHAT, body: ask('pinned', 'Pinned.') });
    expect(response.status).toBe(502);
    expect(context.mock.requests.every((request) => request.model === MODELS.premium)).toBe(true);
  });

  it('skips unknown names of a models list and shows them; an all-unknown list is a 404', async () => {
    const response = await send(context, {
      path: CHAT,
      body: { ...ask('no-such-alias', 'Skip the unknown.'), models: ['nor-this', 'cheap'] },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-skipped')).toBe(
      'no-such-alias:unknown_model, nor-this:unknown_model',
    );
    expect(response.headers.get('x-switchyard-model')).toBe(MODELS.cheap);

    const unknown = await send(context, {
      path: CHAT,
      body: { ...ask('no-such-alias', 'Nothing known.'), models: ['nor-this'] },
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).error.message).toContain('"no-such-alias", "nor-this"');
    expect(context.mock.requests).toHaveLength(1);
  });

  it('routes a conditional route by tools present, by a key tag and by a header, else to its default', async () => {
    const client = openAIClient(context);
    const tools = await client.chat.completions
      .create({ ...ask('tiered', 'Weather in Oslo?'), tools: [WEATHER_TOOL] })
      .withResponse();
    expect(tools.response.headers.get('x-switchyard-model')).toBe(MODELS.fast);
    expect(tools.response.headers.get('x-switchyard-rule')).toBe('tiered:0');

    const pro = await openAIClient(context, GATEWAY_KEYS.pro)
      .chat.completions.create(ask('tiered', 'I am a pro.'))
      .withResponse();
    expect(pro.response.headers.get('x-switchyard-model')).toBe(MODELS.premium);
    expect(pro.response.headers.get('x-switchyard-rule')).toBe('tiered:1');

    const gold = await client.chat.completions
      .create(ask('tiered', 'Gold tier.'), { headers: { 'x-tier': 'gold' } })
      .withResponse();
    expect(gold.response.headers.get('x-switchyard-model')).toBe(MODELS.premium);
    expect(gold.response.headers.get('x-switchyard-rule')).toBe('tiered:2');

    const plain = await send(context, {
      path: CHAT,
      body: ask('tiered', 'Nothing special.'),
      headers: { 'x-tier': 'bronze' },
    });
    expect(plain.headers.get('x-switchyard-model')).toBe(MODELS.cheap);
    expect(plain.headers.get('x-switchyard-rule')).toBe('tiered:default');
    expect(context.mock.requests.map((request) => request.model)).toEqual([
      MODELS.fast,
      MODELS.premium,
      MODELS.premium,
      MODELS.cheap,
    ]);
  });

  it('answers 400 naming the field of a malformed request provider object', async () => {
    const response = await send(context, {
      path: CHAT,
      body: { ...ask('private', 'Bad policy.'), provider: { data_collection: 'sometimes' } },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toBe(
      '"provider.data_collection" must be "deny" or "allow"',
    );
    expect(context.mock.requests).toHaveLength(0);
  });
}
