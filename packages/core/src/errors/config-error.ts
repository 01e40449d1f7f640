import { SwitchyardError } from './switchyard-error.js';

const CONFIG_ERROR_MARKER = Symbol.for('switchyard.config-error');

/** One problem found in a configuration: where it is, and what is wrong. */
export interface ConfigIssue {
  /** Dotted path to the bad value, e.g. `routes.smart.targets[1]`. */
  path: string;
  /** What is wrong there. */
  message: string;
}

/** An invalid configuration. The message lists every issue as `path: message`. */
export class ConfigError extends SwitchyardError<'invalid_config'> {
  /** Every problem found. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options: { source?: string } = {}) {
    const where = options.source === undefined ? '' : ` in ${options.source}`;
    const lines = issues.map((issue) =>
      issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`,
    );
    super({
      code: 'invalid_config',
      message: `Invalid Switchyard configuration${where}:\n  ${lines.join('\n  ')}`,
    });
    this.name = 'ConfigError';
    Object.defineProperty(this, CONFIG_ERROR_MARKER, { value: true });
    this.issues = issues;
  }
  /** True for a ConfigError, even one from another copy of the package. */
  static override isInstance(value: unknown): value is ConfigError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[CONFIG_ERROR_MARKER] === true
    );
  }
}

/** Formats a path of keys and indexes as `routes.smart.targets[1]`. */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  let result = '';
  for (const key of path) {
    if (typeof key === 'number') result += `[${key}]`;
    else result += result === '' ? String(key) : `.${String(key)}`;
  }
  return result;
}
