import {
  type ConfigIssue,
  loadConfig,
  redactSecrets,
  type SwitchyardConfig,
  SwitchyardError,
} from '@switchyard/core';
import { findConfigSecrets } from './config-secrets.js';

/** What {@link loadConfigFile} found: a valid configuration, or every issue (secrets redacted). */
export type LoadedConfigFile = { config: SwitchyardConfig; issues?: undefined } | { issues: ConfigIssue[] };

/**
 * Loads a configuration with core's `loadConfig`. A `ConfigError` becomes its issues, with every
 * API key of the file (literal or from the environment) redacted from the messages; other errors
 * are thrown.
 */
export async function loadConfigFile(options: { path: string }): Promise<LoadedConfigFile> {
  try {
    return { config: await loadConfig(options.path) };
  } catch (error) {
    if (!isConfigError(error)) throw error;
    const secrets = await findConfigSecrets({ path: options.path });
    return {
      issues: error.issues.map((issue) => ({
        path: issue.path,
        message: redactSecrets(issue.message, secrets),
      })),
    };
  }
}

function isConfigError(error: unknown): error is SwitchyardError & { issues: readonly ConfigIssue[] } {
  return SwitchyardError.isInstance(error) && error.code === 'invalid_config' && 'issues' in error;
}

/** Issues as one line each: `routes.x.targets[0]: unknown model "x"` (`(file)` for the file itself). */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string[] {
  return issues.map((issue) => `${issue.path === '' ? '(file)' : issue.path}: ${issue.message}`);
}

/**
 * Loads a configuration that a command needs (`--config`); an invalid one is an error listing
 * every issue, so the command exits 1.
 */
export async function loadValidConfig(options: { path: string }): Promise<SwitchyardConfig> {
  const loaded = await loadConfigFile(options);
  if (loaded.issues === undefined) return loaded.config;
  const lines = formatConfigIssues(loaded.issues).map((line) => `  ${line}`);
  throw new Error(`invalid configuration ${options.path}:\n${lines.join('\n')}`);
}
