import { ConfigError, type ConfigIssue, formatConfigPath } from '../errors/config-error.js';
import { configSchema } from './config-schema.js';
import type { SwitchyardConfig } from './config-types.js';

/**
 * Checks a configuration object: shapes and types, then every cross-reference (providers of
 * aliases, targets of routes, cycles between routes). Throws one {@link ConfigError} listing every
 * problem, each with its path (`routes.smart.targets[1]: unknown model "x"`).
 */
export function validateConfig(input: unknown, options: { source?: string } = {}): SwitchyardConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: formatConfigPath(issue.path),
      message: describeIssue(issue),
    }));
    throw new ConfigError(issues, options);
  }
  const config = parsed.data;
  const issues = checkReferences(config);
  if (issues.length > 0) throw new ConfigError(issues, options);
  return config;
}

function describeIssue(issue: { code: string; message: string; keys?: readonly string[] }): string {
  if (issue.code === 'unrecognized_keys' && issue.keys !== undefined) {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  }
  return issue.message;
}

function checkReferences(config: SwitchyardConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const providers = new Set(Object.keys(config.providers));
  const models = config.models ?? {};
  const routes = config.routes ?? {};
  const allowRaw = config.allowRawModels !== false;

  if (config.defaultProvider !== undefined && !providers.has(config.defaultProvider)) {
    issues.push({ path: 'defaultProvider', message: `unknown provider "${config.defaultProvider}"` });
  }
  for (const [alias, model] of Object.entries(models)) {
    if (!providers.has(model.provider)) {
      issues.push({ path: `models.${alias}.provider`, message: `unknown provider "${model.provider}"` });
    }
    if (Object.hasOwn(routes, alias)) {
      issues.push({ path: `models.${alias}`, message: `"${alias}" names both a model alias and a route` });
    }
  }
  for (const [routeName, route] of Object.entries(routes)) {
    route.targets.forEach((entry, index) => {
      const target = typeof entry === 'string' ? entry : entry.target;
      const known = Object.hasOwn(models, target) || Object.hasOwn(routes, target);
      if (!known && !(allowRaw && target.includes('/'))) {
        issues.push({ path: `routes.${routeName}.targets[${index}]`, message: `unknown model "${target}"` });
      }
    });
    if (route.hedgeAfterMs !== undefined && route.strategy !== 'hedge') {
      issues.push({ path: `routes.${routeName}.hedgeAfterMs`, message: 'applies only to strategy "hedge"' });
    }
  }
  const keyNames = new Set<string>();
  (config.keys ?? []).forEach((key, index) => {
    if (keyNames.has(key.name))
      issues.push({ path: `keys[${index}].name`, message: `duplicate key name "${key.name}"` });
    keyNames.add(key.name);
    (key.routes ?? []).forEach((target, routeIndex) => {
      const known =
        Object.hasOwn(models, target) || Object.hasOwn(routes, target) || (allowRaw && target.includes('/'));
      if (!known)
        issues.push({
          path: `keys[${index}].routes[${routeIndex}]`,
          message: `unknown route or model "${target}"`,
        });
    });
  });
  issues.push(...findCycles(routes));
  return issues;
}

function findCycles(routes: NonNullable<SwitchyardConfig['routes']>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (routeName: string, chain: string[]): void => {
    if (state.get(routeName) === 'done') return;
    if (state.get(routeName) === 'visiting') {
      const cycle = [...chain.slice(chain.indexOf(routeName)), routeName].join(' -> ');
      issues.push({ path: `routes.${routeName}`, message: `routes form a cycle: ${cycle}` });
      return;
    }
    state.set(routeName, 'visiting');
    for (const entry of routes[routeName]?.targets ?? []) {
      const target = typeof entry === 'string' ? entry : entry.target;
      if (Object.hasOwn(routes, target)) visit(target, [...chain, routeName]);
    }
    state.set(routeName, 'done');
  };
  for (const routeName of Object.keys(routes)) visit(routeName, []);
  return issues;
}
