import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError, type ConfigIssue, formatConfigPath } from '../errors/config-error.js';
import type { SwitchyardConfig } from './config-types.js';
import { collectConfigIssues } from './validate-config.js';

/** Options of {@link loadConfig} and {@link parseConfig}. */
export interface LoadConfigOptions {
  /**
   * Variables for `${NAME}` and `${NAME:-default}` interpolation.
   * @default process.env
   */
  env?: Record<string, string | undefined>;
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Reads a JSON or YAML configuration file, replaces `${NAME}` / `${NAME:-default}` in its string
 * values from the environment, and validates it. Throws one `ConfigError` listing every problem
 * with its path: unset variables, schema issues and cross-references, all from one run.
 *
 * @example
 * const config = await loadConfig('./switchyard.yaml');
 * const router = createRouter({ config });
 */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<SwitchyardConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ConfigError([{ path: '', message: reason }], { source: path });
  }
  return parseConfig(text, { ...options, source: path });
}

/**
 * Parses configuration text (YAML, which includes JSON), interpolates variables and validates it.
 * Throws one `ConfigError` listing every unset variable, schema issue and cross-reference issue.
 */
export function parseConfig(
  text: string,
  options: LoadConfigOptions & { source?: string } = {},
): SwitchyardConfig {
  const source = options.source === undefined ? {} : { source: options.source };
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      [{ path: '', message: `not valid YAML or JSON: ${(error as Error).message}` }],
      source,
    );
  }
  const unresolved: ConfigIssue[] = [];
  const interpolated = interpolate(document, {
    env: options.env ?? process.env,
    issues: unresolved,
    path: [],
  });
  const checked = collectConfigIssues(interpolated);
  if (unresolved.length === 0 && checked.config !== undefined) return checked.config;
  // An unset variable leaves an empty string behind; what the schema or the references say of that
  // string is the same mistake again, so only the variable is reported there.
  const unresolvedPaths = unresolved.map((issue) => issue.path);
  const others = checked.issues.filter(
    (issue) => !unresolvedPaths.some((path) => isAtOrUnder(issue.path, path)),
  );
  throw new ConfigError([...unresolved, ...others], source);
}

function isAtOrUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`);
}

interface InterpolationState {
  env: Record<string, string | undefined>;
  issues: ConfigIssue[];
  path: PropertyKey[];
}

function interpolate(value: unknown, state: InterpolationState): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (_match, variable: string, fallback: string | undefined) => {
      const found = state.env[variable];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      state.issues.push({
        path: formatConfigPath(state.path),
        message: `environment variable ${variable} is not set`,
      });
      return '';
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolate(item, { ...state, path: [...state.path, index] }));
  }
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = interpolate(item, { ...state, path: [...state.path, key] });
    }
    return result;
  }
  return value;
}
