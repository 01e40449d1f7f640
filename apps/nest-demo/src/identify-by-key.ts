import type { IncomingMessage } from 'node:http';
import type { BudgetConfig, Caller, GatewayKeyConfig } from '@switchyard/core';
import { createKeyRing } from '@switchyard/core/node';

/**
 * `identify` and `budgets` for `SwitchyardModule` from the config's gateway keys, as the gateway
 * endpoints check them: `Authorization: Bearer <key>` (401 when missing or unknown, nothing asked
 * when no key is configured), the key may use `route` (403), and its budget applies, shared with
 * the gateway endpoints (same budget name, same counters). The caller is the key's name, the
 * `x-user-id` header as the user, and the `summarize` tag.
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
    // The key ring names each key's budget `key <name>`, scoped to that key: the same budgets.
    budgets: (input.keys ?? []).flatMap((key) =>
      key.budget === undefined
        ? []
        : [
            {
              scope: 'key' as const,
              match: key.name,
              usd: key.budget.usd,
              period: key.budget.period,
              name: `key ${key.name}`,
            },
          ],
    ),
  };
}
