import type { IncomingMessage } from 'node:http';
import type { GatewayKeyConfig } from '@switchyard/core';
import { createKeyRing, type GatewayKey } from '@switchyard/core/node';
import type { SwitchyardMiddlewareOptions } from '@switchyard/koa';

/**
 * `identify` and `budgets` for `switchyard()` from the config's gateway keys, as the gateway
 * routes check them: `Authorization: Bearer <key>` (401 when missing or unknown, nothing asked
 * when no key is configured), the key may use `model` (403), and its budget applies. The caller is
 * the key's name, the `x-user-id` header as the user, and the `summarize` tag.
 */
export function identifyByKey(input: {
  keys: readonly GatewayKeyConfig[] | undefined;
  model: string;
}): Pick<SwitchyardMiddlewareOptions, 'identify' | 'budgets'> {
  const ring = createKeyRing(input.keys);
  const found = new WeakMap<IncomingMessage, GatewayKey>();
  return {
    identify: (ctx) => {
      const key = ring.authenticate(ctx.req);
      ring.authorize(key, [input.model]);
      if (key !== undefined) found.set(ctx.req, key);
      const user = ctx.get('x-user-id');
      return {
        ...(key === undefined ? {} : { key: key.name }),
        ...(user === '' ? {} : { user }),
        tags: ['summarize'],
      };
    },
    budgets: (ctx) => {
      const budget = found.get(ctx.req)?.budget;
      return budget === undefined ? [] : [budget];
    },
  };
}
