import type { MaxPrice, ProviderPolicy } from './provider-policy.js';

/** The policy of one layer, and whether it is the request's own (what a tightening is noted against). */
export interface PolicyLayer {
  readonly policy: ProviderPolicy;
  /** The request's `provider` object: its fields beyond the policy's pass through unchanged. */
  readonly fromRequest?: boolean;
}

/** What {@link mergePolicies} made of the layers. */
export interface MergedPolicy {
  /** The policy to honour and to send upstream (with a request's other `provider` fields). */
  readonly policy: ProviderPolicy & Record<string, unknown>;
  /**
   * Fields where the request asked for less than config requires, and config won
   * (`data_collection`, `zdr`, `only`, ...): recorded in the trace, never an error.
   */
  readonly tightened: readonly string[];
}

const MAX_PRICE_FIELDS = ['prompt', 'completion', 'request', 'image', 'audio'] as const;

/** -1, 0 or 1 as decimal text `a` is below, equal to or above `b` (both `\d+(\.\d+)?`). */
export function compareDecimal(a: string, b: string): number {
  const [aWhole = '', aFraction = ''] = a.split('.');
  const [bWhole = '', bFraction = ''] = b.split('.');
  const wholeA = aWhole.replace(/^0+(?=\d)/, '');
  const wholeB = bWhole.replace(/^0+(?=\d)/, '');
  if (wholeA.length !== wholeB.length) return wholeA.length < wholeB.length ? -1 : 1;
  if (wholeA !== wholeB) return wholeA < wholeB ? -1 : 1;
  const width = Math.max(aFraction.length, bFraction.length);
  const fractionA = aFraction.padEnd(width, '0');
  const fractionB = bFraction.padEnd(width, '0');
  return fractionA === fractionB ? 0 : fractionA < fractionB ? -1 : 1;
}

/** Case and punctuation do not matter in provider names: `Google AI Studio` is `google-ai-studio`. */
export function providerSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function intersect(lists: ReadonlyArray<readonly string[]>): string[] {
  const [first = [], ...rest] = lists;
  const others = rest.map((list) => new Set(list.map(providerSlug)));
  return first.filter(
    (name, index) =>
      first.findIndex((other) => providerSlug(other) === providerSlug(name)) === index &&
      others.every((set) => set.has(providerSlug(name))),
  );
}

function unite(lists: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set<string>();
  const united: string[] = [];
  for (const list of lists) {
    for (const name of list) {
      if (seen.has(providerSlug(name))) continue;
      seen.add(providerSlug(name));
      united.push(name);
    }
  }
  return united;
}

/**
 * Merges provider policies, the most authoritative layer first (the caller's key, the outer route,
 * the inner routes, the alias, then the request's `provider`), by one rule:
 * - data policy: the stricter wins. `data_collection: deny` beats `allow`; `zdr`,
 *   `require_parameters` `true` beat `false`; `allow_fallbacks: false` beats `true`; `only` and
 *   `quantizations` lists intersect; `ignore` lists unite; each `max_price` is the lowest given;
 * - preferences (`order`, `sort`): the most specific layer that sets one wins (the request's, then
 *   the alias's, the inner route's, ... the key's).
 * A request can thus never loosen what config states; where it tried, config wins and the field
 * is named in `tightened`.
 * @example
 * mergePolicies([{ policy: { data_collection: 'deny' } }, { policy: { data_collection: 'allow' }, fromRequest: true }])
 * // { policy: { data_collection: 'deny' }, tightened: ['data_collection'] }
 */
export function mergePolicies(layers: readonly PolicyLayer[]): MergedPolicy {
  const merged: ProviderPolicy & Record<string, unknown> = {};
  const request = layers.find((layer) => layer.fromRequest === true)?.policy as
    | (ProviderPolicy & Record<string, unknown>)
    | undefined;
  if (request !== undefined) {
    for (const [field, value] of Object.entries(request)) if (value !== undefined) merged[field] = value;
  }
  const policies = layers.map((layer) => layer.policy);
  const tightened: string[] = [];
  const strictFlag = (field: 'zdr' | 'require_parameters'): void => {
    if (policies.some((policy) => policy[field] === true)) {
      if (request?.[field] === false) tightened.push(field);
      merged[field] = true;
    } else if (policies.some((policy) => policy[field] === false)) merged[field] = false;
  };
  if (policies.some((policy) => policy.data_collection === 'deny')) {
    if (request?.data_collection === 'allow') tightened.push('data_collection');
    merged.data_collection = 'deny';
  } else if (policies.some((policy) => policy.data_collection === 'allow')) merged.data_collection = 'allow';
  strictFlag('zdr');
  strictFlag('require_parameters');
  if (policies.some((policy) => policy.allow_fallbacks === false)) {
    if (request?.allow_fallbacks === true) tightened.push('allow_fallbacks');
    merged.allow_fallbacks = false;
  } else if (policies.some((policy) => policy.allow_fallbacks === true)) merged.allow_fallbacks = true;

  for (const field of ['only', 'quantizations'] as const) {
    const lists = policies.flatMap((policy) => (policy[field] === undefined ? [] : [policy[field]]));
    if (lists.length === 0) continue;
    const kept = intersect(lists as string[][]);
    if (request?.[field] !== undefined && kept.length < new Set(request[field]).size) tightened.push(field);
    (merged as Record<string, unknown>)[field] = kept;
  }
  const ignores = policies.flatMap((policy) => (policy.ignore === undefined ? [] : [policy.ignore]));
  if (ignores.length > 0) merged.ignore = unite(ignores);

  const prices = policies.flatMap((policy) => (policy.max_price === undefined ? [] : [policy.max_price]));
  if (prices.length > 0) {
    const lowest: MaxPrice = {};
    for (const field of MAX_PRICE_FIELDS) {
      for (const price of prices) {
        const value = price[field];
        if (value === undefined) continue;
        const current = lowest[field];
        if (current === undefined || compareDecimal(value, current) < 0) lowest[field] = value;
      }
      const asked = request?.max_price?.[field];
      const kept = lowest[field];
      if (asked !== undefined && kept !== undefined && compareDecimal(kept, asked) < 0) {
        if (!tightened.includes('max_price')) tightened.push('max_price');
      }
    }
    merged.max_price = lowest;
  }
  // Preferences: the last (most specific) layer that sets one.
  for (const field of ['order', 'sort'] as const) {
    for (const policy of policies) if (policy[field] !== undefined) merged[field] = policy[field] as never;
  }
  return { policy: merged, tightened };
}
