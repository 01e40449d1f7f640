import { cp } from 'node:fs/promises';
import { runCommand } from './run-command.js';

/** Options of {@link createConsumerApp}. */
export interface CreateConsumerAppOptions {
  /** The fixture directory to copy: the app's package.json (third-party dependencies) and sources. */
  fixture: string;
  /** Where the app goes, outside the workspace. */
  directory: string;
  /** Tarballs to install beside the fixture's dependencies. */
  tarballs: readonly string[];
  /** npm's cache, shared by every app of the run (and by later runs). */
  npmCache: string;
}

/**
 * Creates a throwaway app as a user would: its files, then one `npm install` of the Switchyard
 * tarballs, with every third-party package from the registry (through the shared cache).
 */
export async function createConsumerApp(options: CreateConsumerAppOptions): Promise<string> {
  await cp(options.fixture, options.directory, { recursive: true });
  await runCommand(
    'npm',
    [
      'install',
      ...options.tarballs,
      '--cache',
      options.npmCache,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel',
      'error',
    ],
    { cwd: options.directory, timeoutMs: 600_000 },
  );
  return options.directory;
}
