import type { ConfigIssue } from '../errors/config-error.js';

/** Input of {@link findConfigReferenceIssues}. */
export interface ConfigReferenceOptions {
  /**
   * Paths (`routes.smart.strategy`) whose values the schema rejected: such a value is not
   * cross-checked, so one mistake is not reported twice.
   * @default new Set()
   */
  rejectedPaths?: ReadonlySet<string>;
}

type RawObject = Record<string, unknown>;

/**
 * Cross-references of a configuration: the providers of aliases and of `defaultProvider`, the
 * targets of routes and the routes of keys, `hedgeAfterMs` outside `hedge`, duplicate key names and
 * cycles between routes. Reads the raw object, not the parsed one, so it runs even when parts of the
 * schema fail: a part that is missing or of the wrong type is skipped (a section that is not an
 * object makes the names it defines unknown, and references to them are not checked).
 *
 * @example
 * findConfigReferenceIssues({ providers: { a: {} }, routes: { r: { targets: ['x'] } } })
 * // [{ path: 'routes.r.targets[0]', message: 'unknown model "x"' }]
 */
export function findConfigReferenceIssues(
  input: unknown,
  options: ConfigReferenceOptions = {},
): ConfigIssue[] {
  if (!isObject(input)) return [];
  const rejected = options.rejectedPaths ?? new Set<string>();
  /** A string the schema accepted at `path`, else undefined. */
  const text = (value: unknown, path: string): string | undefined =>
    typeof value === 'string' && value !== '' && !rejected.has(path) ? value : undefined;

  const issues: ConfigIssue[] = [];
  const providers = isObject(input.providers) ? new Set(Object.keys(input.providers)) : undefined;
  const models = namesOf(input.models);
  const routes = routesOf(input.routes);
  const allowRaw = input.allowRawModels !== false;
  /** Undefined when the names a target may refer to cannot be known. */
  const isKnownTarget = (target: string): boolean | undefined => {
    if (allowRaw && target.includes('/')) return true;
    if (models === undefined || routes === undefined) return undefined;
    return models.has(target) || routes.has(target);
  };

  const defaultProvider = text(input.defaultProvider, 'defaultProvider');
  if (defaultProvider !== undefined && providers !== undefined && !providers.has(defaultProvider)) {
    issues.push({ path: 'defaultProvider', message: `unknown provider "${defaultProvider}"` });
  }
  if (isObject(input.models)) {
    for (const [alias, model] of Object.entries(input.models)) {
      const path = `models.${alias}`;
      const provider = isObject(model) ? text(model.provider, `${path}.provider`) : undefined;
      if (provider !== undefined && providers !== undefined && !providers.has(provider)) {
        issues.push({ path: `${path}.provider`, message: `unknown provider "${provider}"` });
      }
      if (routes?.has(alias) === true) {
        issues.push({ path, message: `"${alias}" names both a model alias and a route` });
      }
    }
  }
  for (const [routeName, route] of routes ?? []) {
    const path = `routes.${routeName}`;
    for (const { entry, path: entryPath } of route.targets) {
      const target = targetOf(entry, entryPath, text);
      if (target !== undefined && isKnownTarget(target) === false) {
        issues.push({ path: entryPath, message: `unknown model "${target}"` });
      }
    }
    const strategy = text(route.raw.strategy, `${path}.strategy`);
    if (route.raw.hedgeAfterMs !== undefined && strategy !== undefined && strategy !== 'hedge') {
      issues.push({ path: `${path}.hedgeAfterMs`, message: 'applies only to strategy "hedge"' });
    }
  }
  issues.push(...findKeyIssues({ keys: input.keys, text, isKnownTarget }));
  if (routes !== undefined) issues.push(...findCycles(routes, text));
  return issues;
}

type TextReader = (value: unknown, path: string) => string | undefined;

/**
 * A route as far as references go: its raw object and its targets with their paths (`targets[i]`;
 * for a conditional route `rules[i].target` and `default`), none where they are not a list.
 */
interface RawRoute {
  raw: RawObject;
  targets: ReadonlyArray<{ entry: unknown; path: string }>;
}

function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The names a section defines: none when it is absent, unknown (undefined) when it is not an object. */
function namesOf(section: unknown): Set<string> | undefined {
  if (section === undefined) return new Set();
  return isObject(section) ? new Set(Object.keys(section)) : undefined;
}

function routesOf(section: unknown): Map<string, RawRoute> | undefined {
  if (section === undefined) return new Map();
  if (!isObject(section)) return undefined;
  const routes = new Map<string, RawRoute>();
  for (const [name, route] of Object.entries(section)) {
    const raw = isObject(route) ? route : {};
    const path = `routes.${name}`;
    const targets = Array.isArray(raw.targets)
      ? raw.targets.map((entry, index) => ({ entry, path: `${path}.targets[${index}]` }))
      : [];
    if (Array.isArray(raw.rules)) {
      raw.rules.forEach((rule: unknown, index) => {
        if (isObject(rule)) targets.push({ entry: rule.target, path: `${path}.rules[${index}].target` });
      });
    }
    if (raw.default !== undefined) targets.push({ entry: raw.default, path: `${path}.default` });
    routes.set(name, { raw, targets });
  }
  return routes;
}

/** A target entry's name: the string itself, or `target` of `{ target, weight }`. */
function targetOf(entry: unknown, path: string, text: TextReader): string | undefined {
  if (isObject(entry)) return text(entry.target, `${path}.target`);
  return text(entry, path);
}

function findKeyIssues(input: {
  keys: unknown;
  text: TextReader;
  isKnownTarget: (target: string) => boolean | undefined;
}): ConfigIssue[] {
  if (!Array.isArray(input.keys)) return [];
  const issues: ConfigIssue[] = [];
  const keyNames = new Set<string>();
  input.keys.forEach((key: unknown, index) => {
    if (!isObject(key)) return;
    const name = input.text(key.name, `keys[${index}].name`);
    if (name !== undefined) {
      if (keyNames.has(name))
        issues.push({ path: `keys[${index}].name`, message: `duplicate key name "${name}"` });
      keyNames.add(name);
    }
    if (!Array.isArray(key.routes)) return;
    key.routes.forEach((entry: unknown, routeIndex) => {
      const path = `keys[${index}].routes[${routeIndex}]`;
      const target = input.text(entry, path);
      if (target !== undefined && input.isKnownTarget(target) === false) {
        issues.push({ path, message: `unknown route or model "${target}"` });
      }
    });
  });
  return issues;
}

function findCycles(routes: ReadonlyMap<string, RawRoute>, text: TextReader): ConfigIssue[] {
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
    for (const { entry, path } of routes.get(routeName)?.targets ?? []) {
      const target = targetOf(entry, path, text);
      if (target !== undefined && routes.has(target)) visit(target, [...chain, routeName]);
    }
    state.set(routeName, 'done');
  };
  for (const routeName of routes.keys()) visit(routeName, []);
  return issues;
}
