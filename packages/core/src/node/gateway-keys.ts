import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { BudgetConfig, GatewayKeyConfig } from '../config/config-types.js';
import type { ProviderPolicy } from '../policy/provider-policy.js';
import { GatewayError } from './gateway-error.js';

/** A gateway key, ready to check: its hash, allowed names, and budget. */
export interface GatewayKey {
  readonly name: string;
  readonly routes: ReadonlySet<string> | undefined;
  /** The key's budget as a per-call budget (one object, so its counters are shared). */
  readonly budget: BudgetConfig | undefined;
  /** The key's caller tags (`keys[i].tags`), when it sets some. */
  readonly tags?: readonly string[];
  /** The provider policy every request of this key keeps (`keys[i].providerPolicy`), when it sets one. */
  readonly providerPolicy?: ProviderPolicy;
}

interface StoredKey extends GatewayKey {
  readonly digest: Buffer;
}

const digestOf = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * The key a request presents: `Authorization: Bearer <key>`, else `x-api-key: <key>` (how
 * Anthropic's SDK and the tools built on it send theirs).
 */
function presentedKey(request: IncomingMessage): string {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (match?.[1] !== undefined) return match[1];
  const apiKey = request.headers['x-api-key'];
  if (header === undefined && typeof apiKey === 'string' && apiKey.trim() !== '') return apiKey.trim();
  throw new GatewayError({
    code: 'missing_api_key',
    message: 'missing API key: send Authorization: Bearer <key> (or x-api-key: <key>)',
  });
}

/**
 * Authenticates the key a request presents (`Authorization: Bearer <key>` or `x-api-key`) against
 * configured keys, in constant time.
 */
export interface KeyRing {
  /** True when no key is configured: the gateway is open. */
  readonly open: boolean;
  /** The caller's key; throws a 401 GatewayError when missing or unknown (undefined when open). */
  authenticate(request: IncomingMessage): GatewayKey | undefined;
  /** Throws a 403 GatewayError when the key may not use a route, alias or model. */
  authorize(key: GatewayKey | undefined, names: readonly string[]): void;
}

/**
 * The budget of a gateway key as a per-call budget: scoped to that key, named `key <name>` (the
 * name a 402 shows). Anything that applies a key's budget outside the gateway uses it, so that
 * both count against the same budget.
 */
export function keyBudget(key: GatewayKeyConfig): BudgetConfig | undefined {
  if (key.budget === undefined) return undefined;
  return {
    scope: 'key',
    match: key.name,
    usd: key.budget.usd,
    period: key.budget.period,
    name: `key ${key.name}`,
  };
}

/** Creates a {@link KeyRing} from the config's `keys`. */
export function createKeyRing(keys: readonly GatewayKeyConfig[] = []): KeyRing {
  const stored: StoredKey[] = keys.map((key) => ({
    name: key.name,
    digest: digestOf(key.key),
    routes: key.routes === undefined ? undefined : new Set(key.routes),
    budget: keyBudget(key),
    ...(key.tags === undefined ? {} : { tags: Object.freeze([...key.tags]) }),
    ...(key.providerPolicy === undefined ? {} : { providerPolicy: key.providerPolicy }),
  }));
  return {
    open: stored.length === 0,
    authenticate(request) {
      if (stored.length === 0) return undefined;
      const given = digestOf(presentedKey(request));
      let found: StoredKey | undefined;
      // Compare against every key, so the time taken does not tell which one matched.
      for (const key of stored) if (timingSafeEqual(key.digest, given) && found === undefined) found = key;
      if (found === undefined)
        throw new GatewayError({ code: 'invalid_api_key', message: 'invalid API key' });
      return found;
    },
    authorize(key, names) {
      if (key?.routes === undefined) return;
      for (const name of names) {
        if (!key.routes.has(name)) {
          throw new GatewayError({
            code: 'route_not_allowed',
            param: 'model',
            message: `key "${key.name}" may not use "${name}"`,
          });
        }
      }
    },
  };
}
