import type { SwitchyardConfig, UnpricedPolicy } from '../config/config-types.js';
import { type Picodollars, parseUsd } from '../pricing/money.js';
import type { ModelTarget } from '../routing/target.js';

/** An {@link UnpricedPolicy}, parsed: refuse, a declared worst case, or no money rules. */
export type ResolvedUnpriced =
  | { readonly kind: 'deny' }
  | { readonly kind: 'allow' }
  | { readonly kind: 'declared'; readonly worstCase: Picodollars };

/** Finds the policy for an unpriced target: its alias's, else its route's, else its provider's, else the default. */
export interface UnpricedPolicies {
  of(target: ModelTarget, route: string | undefined): ResolvedUnpriced;
  /** Where the configuration exempts unpriced targets from every money rule (`unpriced: allow`), by path. */
  readonly exemptions: readonly string[];
}

const DENY: ResolvedUnpriced = Object.freeze({ kind: 'deny' });
const ALLOW: ResolvedUnpriced = Object.freeze({ kind: 'allow' });

function parse(policy: UnpricedPolicy | undefined): ResolvedUnpriced | undefined {
  if (policy === undefined) return undefined;
  if (policy === 'deny') return DENY;
  if (policy === 'allow') return ALLOW;
  return Object.freeze({ kind: 'declared', worstCase: parseUsd(policy.worstCaseUsd) });
}

/** Compiles the `unpriced` settings of a configuration (aliases, routes, providers, default). */
export function createUnpricedPolicies(config: SwitchyardConfig): UnpricedPolicies {
  const compile = (section: Record<string, { unpriced?: UnpricedPolicy }> | undefined) =>
    new Map(
      Object.entries(section ?? {}).flatMap(([name, entry]) => {
        const policy = parse(entry.unpriced);
        return policy === undefined ? [] : [[name, policy] as const];
      }),
    );
  const aliases = compile(config.models);
  const routes = compile(config.routes);
  const providers = compile(config.providers);
  const fallback = parse(config.unpriced) ?? DENY;
  const exemptions = [
    ...(config.unpriced === 'allow' ? ['unpriced'] : []),
    ...[...providers].filter(([, policy]) => policy === ALLOW).map(([name]) => `providers.${name}.unpriced`),
    ...[...routes].filter(([, policy]) => policy === ALLOW).map(([name]) => `routes.${name}.unpriced`),
    ...[...aliases].filter(([, policy]) => policy === ALLOW).map(([name]) => `models.${name}.unpriced`),
  ];
  return {
    exemptions,
    of: (target, route) =>
      aliases.get(target.name) ??
      (route === undefined ? undefined : routes.get(route)) ??
      providers.get(target.provider) ??
      fallback,
  };
}
