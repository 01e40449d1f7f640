import { describe, expect, it } from 'vitest';
import { createRouter } from '../router/create-router.js';
import { ruleHeaders } from './rule-headers.js';

describe('ruleHeaders', () => {
  it('copies only the headers conditional rules read, never the credentials', async () => {
    const router = createRouter({
      config: {
        providers: { up: { baseURL: 'http://127.0.0.1:1/v1' } },
        models: { a: { provider: 'up', model: 'x/a' }, b: { provider: 'up', model: 'x/b' } },
        routes: {
          pick: {
            strategy: 'conditional',
            rules: [
              {
                when: { $or: [{ 'header.x-tier': 'gold' }, { $not: { 'header.x-region': 'eu' } }] },
                target: 'a',
              },
              { when: { 'header.x-tier': 'silver' }, target: 'b' },
            ],
            default: 'b',
          },
        },
      },
    });
    expect(router.headerNames).toEqual(['x-tier', 'x-region']);
    const headers = { authorization: 'Bearer sk-secret', 'x-tier': 'gold', cookie: 'a=b', host: 'h' };
    expect(ruleHeaders(headers, router.headerNames)).toEqual({ 'x-tier': 'gold', 'x-region': undefined });
    expect(ruleHeaders(headers, [])).toBeUndefined();
    await router.close();
  });
});
