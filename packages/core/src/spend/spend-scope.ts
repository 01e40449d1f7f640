import type { SpendScope } from '../config/config-types.js';

/** Who is calling, as the adapters know it. */
export interface Caller {
  /** The gateway key's name (never the key itself). */
  key?: string;
  /** The end user. */
  user?: string;
  /** Free-form tags (team, feature...). */
  tags?: readonly string[];
}

/** The values an attempt has for each scope. */
export interface SpendContext {
  caller: Caller;
  route: string | undefined;
  /** The model id sent upstream. */
  model: string;
  provider: string;
}

/** The values of a scope for an attempt (tags may give several; none when it has no value). */
export function scopeValues(scope: SpendScope, context: SpendContext): readonly string[] {
  switch (scope) {
    case 'global':
      return ['*'];
    case 'key':
      return context.caller.key === undefined ? [] : [context.caller.key];
    case 'user':
      return context.caller.user === undefined ? [] : [context.caller.user];
    case 'route':
      return context.route === undefined ? [] : [context.route];
    case 'tag':
      return context.caller.tags ?? [];
    case 'model':
      return [context.model];
    case 'provider':
      return [context.provider];
  }
}

/** Compiles a `match` pattern with `*` wildcards; undefined matches every value. */
export function compileMatch(pattern: string | undefined): (value: string) => boolean {
  if (pattern === undefined) return () => true;
  if (!pattern.includes('*')) return (value) => value === pattern;
  const expression = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (value) => expression.test(value);
}
