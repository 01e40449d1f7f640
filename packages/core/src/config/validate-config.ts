import { ConfigError, type ConfigIssue, formatConfigPath } from '../errors/config-error.js';
import { findConfigReferenceIssues } from './config-references.js';
import { configSchema } from './config-schema.js';
import type { SwitchyardConfig } from './config-types.js';

/**
 * Checks a configuration object: shapes and types, and every cross-reference (providers of
 * aliases, targets of routes, cycles between routes), the references even where parts of the
 * schema fail. Throws one {@link ConfigError} listing every problem, each with its path
 * (`routes.smart.targets[1]: unknown model "x"`).
 */
export function validateConfig(input: unknown, options: { source?: string } = {}): SwitchyardConfig {
  const checked = collectConfigIssues(input);
  if (checked.config === undefined) throw new ConfigError(checked.issues, options);
  return checked.config;
}

/** What {@link collectConfigIssues} found: the parsed configuration, or every issue. */
export type ConfigCheck =
  | { config: SwitchyardConfig; issues: readonly [] }
  | { config: undefined; issues: ConfigIssue[] };

/**
 * Every schema issue, then every cross-reference issue, without throwing. References are read from
 * the raw object, so they are checked even when the schema fails; a value the schema rejected is
 * not cross-checked too.
 */
export function collectConfigIssues(input: unknown): ConfigCheck {
  const parsed = configSchema.safeParse(input);
  const schemaIssues = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        path: formatConfigPath(issue.path),
        message: describeIssue(issue),
      }));
  const rejectedPaths = new Set(schemaIssues.map((issue) => issue.path));
  const issues = [...schemaIssues, ...findConfigReferenceIssues(input, { rejectedPaths })];
  if (parsed.success && issues.length === 0) return { config: parsed.data, issues: [] };
  return { config: undefined, issues };
}

function describeIssue(issue: { code: string; message: string; keys?: readonly string[] }): string {
  if (issue.code === 'unrecognized_keys' && issue.keys !== undefined) {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  }
  return issue.message;
}
