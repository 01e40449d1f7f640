import type { IncomingMessage } from 'node:http';
import type { BudgetConfig, Caller, GatewayKeyConfig } from '@switchyard/core';
import { createKeyRing, keyBudget } from '@switchyard/core/node';

/**
 * `identify` and `budgets` for `SwitchyardModule` from the config's gateway keys, as the gateway
 * endpoints check them: `Authorization: Bearer <key>` (401 when missing or unknown, nothing asked
 * when no key is configured), the key may use `route` (403), and its budget applies, shared with
 * the gateway endpoints (the core's `keyBudget`: same name, same counters). The caller is the
 * key's name, the `x-user-id` header as the user, and the `summarize` tag.
 */
export function identifyByKey(input: { keys: readonly GatewayKeyConfig[] | undefined; route: string }): {
  identify: (request: IncomingMessage) => Caller;
  budgets: BudgetConfig[];
} {
  const ring = createKeyRing(input.keys);
  return {
    identify: (request) => {
      const key = ring.authenticate(request);
      ring.authorize(key, [input.route]);
      const user = request.headers['x-user-id'];
      return {
        ...(key === undefined ? {} : { key: key.name }),
        ...(typeof user === 'string' && user !== '' ? { user } : {}),
        tags: ['summarize'],
      };
    },
    budgets: (input.keys ?? []).flatMap((key) => {
      const budget = keyBudget(key);
      return budget === undefined ? [] : [budget];
    }),
  };
}
