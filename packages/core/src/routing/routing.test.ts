import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/support/fake-clock.js';
import { resolveConfig } from '../config/resolve-config.js';
import type { ChatRequest } from '../types/chat.js';
import { orderTargets } from './order-targets.js';
import { profileRequest } from './request-profile.js';
import type { ModelTarget, RouteTarget } from './target.js';
import { skipReason } from './target-filter.js';
import { createTargetRegistry } from './target-registry.js';

const registry = () =>
  createTargetRegistry({
    resolved: resolveConfig({
      providers: { up: { baseURL: 'http://127.0.0.1:1/api/v1', apiKey: 'sk-test-secret-key' } },
      models: {
        small: {
          provider: 'up',
          model: 'mock/small-8k',
          contextLength: 8192,
          pricing: { prompt: '0.0000001', completion: '0.0000002' },
        },
        big: {
          provider: 'up',
          model: 'mock/big',
          contextLength: 200_000,
          pricing: { prompt: '0.000003', completion: '0.000015' },
          capabilities: ['tools'],
        },
        plain: { provider: 'up', model: 'mock/plain', capabilities: [] },
      },
      routes: {
        cheapest: { strategy: 'cheapest', targets: ['big', 'small', 'plain'] },
        weighted: {
          strategy: 'weighted',
          targets: [
            { target: 'small', weight: 3 },
            { target: 'big', weight: 1 },
          ],
        },
        fastest: { strategy: 'fastest', targets: ['small', 'big'] },
        nested: { strategy: 'fallback', targets: ['weighted', 'big'] },
      },
    }),
    catalog: [],
    clock: createFakeClock(),
    validators: {},
  });

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'x',
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('request profile', () => {
  it('sees tools, response formats and images', () => {
    const profile = profileRequest(
      ask('hi', {
        tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
        response_format: { type: 'json_object' },
        max_tokens: 50,
      }),
    );
    expect(profile.tools).toBe(true);
    expect(profile.responseFormat).toBe('json_object');
    expect(profile.maxTokens).toBe(50);
    const vision = profileRequest({
      model: 'x',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }],
    });
    expect(vision.vision).toBe(true);
  });

  it('bounds the token count from above without tokenizing', () => {
    const profile = profileRequest(ask('The quick brown fox jumps over the lazy dog.'));
    expect(profile.promptTokens()).toBeLessThanOrEqual(profile.promptTokensUpperBound);
    expect(profile.promptTokens()).toBe(10 + 4 + 3);
  });
});

describe('target filter', () => {
  it('skips a target whose context window cannot hold prompt + max_tokens', () => {
    const { models } = registry();
    const small = models.get('small') as ModelTarget;
    const big = models.get('big') as ModelTarget;
    const long = ask('lorem ipsum '.repeat(4000), { max_tokens: 1000 });
    expect(skipReason(small, profileRequest(long))).toBe('context_window');
    expect(skipReason(big, profileRequest(long))).toBeUndefined();
    expect(skipReason(small, profileRequest(ask('short', { max_tokens: 8000 })))).toBeUndefined();
    expect(skipReason(small, profileRequest(ask('short', { max_tokens: 8190 })))).toBe('context_window');
  });

  it('skips a target that lacks a needed capability; unknown capabilities pass', () => {
    const { models } = registry();
    const withTools = profileRequest(ask('hi', { tools: [{ type: 'function', function: { name: 'f' } }] }));
    expect(skipReason(models.get('plain') as ModelTarget, withTools)).toBe('capability:tools');
    expect(skipReason(models.get('big') as ModelTarget, withTools)).toBeUndefined();
    expect(skipReason(models.get('small') as ModelTarget, withTools)).toBeUndefined();
  });

  it('skips a target whose breaker is open', () => {
    const { models } = registry();
    const small = models.get('small') as ModelTarget;
    for (let index = 0; index < 5; index += 1) small.health.breaker?.recordFailure();
    expect(skipReason(small, profileRequest(ask('hi')))).toBe('breaker_open');
  });
});

describe('strategies', () => {
  it('cheapest orders by the estimated cost of this request, unpriced last', () => {
    const { routes } = registry();
    const order = orderTargets(routes.get('cheapest') as RouteTarget, {
      profile: profileRequest(ask('hi')),
      random: Math.random,
    });
    expect(order.map((target) => target.name)).toEqual(['small', 'big', 'plain']);
  });

  it('weighted picks the first target in proportion to its weight', () => {
    const { routes } = registry();
    const route = routes.get('weighted') as RouteTarget;
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const firsts = { small: 0, big: 0 };
    for (let index = 0; index < 4000; index += 1) {
      const first = orderTargets(route, { profile: profileRequest(ask('hi')), random })[0]?.name as
        | 'small'
        | 'big';
      firsts[first] += 1;
    }
    expect(firsts.small / 4000).toBeGreaterThan(0.7);
    expect(firsts.small / 4000).toBeLessThan(0.8);
  });

  it('fastest measures unmeasured targets first, then orders by moving latency', () => {
    const { routes, models } = registry();
    const route = routes.get('fastest') as RouteTarget;
    const context = { profile: profileRequest(ask('hi')), random: Math.random };
    models.get('small')?.health.latency.record(300);
    expect(orderTargets(route, context).map((target) => target.name)).toEqual(['big', 'small']);
    models.get('big')?.health.latency.record(500);
    expect(orderTargets(route, context).map((target) => target.name)).toEqual(['small', 'big']);
  });

  it('resolves routes, aliases and raw ids; nested routes stay routes', () => {
    const compiled = registry();
    expect(compiled.resolve('nested')?.kind).toBe('route');
    expect(compiled.resolve('small')?.kind).toBe('model');
    const raw = compiled.resolve('openai/gpt-4o-mini') as ModelTarget;
    expect([raw.kind, raw.provider, raw.model]).toEqual(['model', 'up', 'openai/gpt-4o-mini']);
    expect(compiled.secrets).toEqual(['sk-test-secret-key']);
  });
});
