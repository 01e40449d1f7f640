import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of the spec relative to a directory that holds the shared folder. */
const SPEC_RELATIVE_PATH = join('shared', 'specs', 'openrouter-openapi.yaml');

/** Environment variable that overrides the search for the OpenRouter OpenAPI document. */
export const SPEC_PATH_ENVIRONMENT_VARIABLE = 'SWITCHYARD_OPENROUTER_SPEC';

/** Options of {@link findSpecPath}. */
export interface FindSpecPathOptions {
  /**
   * Directories to walk up from, in order.
   * @default [process.cwd(), this module's directory]
   */
  startDirectories?: readonly string[];
  /**
   * Environment to read {@link SPEC_PATH_ENVIRONMENT_VARIABLE} from.
   * @default process.env
   */
  environment?: Record<string, string | undefined>;
  /** The last directory to look in while walking up (like `find-up`'s `stopAt`). @default the root */
  stopAt?: string;
}

/**
 * Finds OpenRouter's OpenAPI document: the `SWITCHYARD_OPENROUTER_SPEC` environment variable when
 * set, else `shared/specs/openrouter-openapi.yaml` in the start directory or any ancestor (then the
 * same walk from this module's own directory, for runs started elsewhere).
 * @throws Error naming every path tried when no document exists.
 */
export function findSpecPath(options: FindSpecPathOptions = {}): string {
  const environment = options.environment ?? process.env;
  const fromEnvironment = environment[SPEC_PATH_ENVIRONMENT_VARIABLE];
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    const path = resolve(fromEnvironment);
    if (existsSync(path)) return path;
    throw new Error(`${SPEC_PATH_ENVIRONMENT_VARIABLE} points to ${path}, which does not exist.`);
  }
  const tried: string[] = [];
  const starts = options.startDirectories ?? [process.cwd(), dirname(fileURLToPath(import.meta.url))];
  for (const start of starts) {
    for (const directory of ancestors(resolve(start), options.stopAt && resolve(options.stopAt))) {
      const candidate = join(directory, SPEC_RELATIVE_PATH);
      if (tried.includes(candidate)) continue;
      if (existsSync(candidate)) return candidate;
      tried.push(candidate);
    }
  }
  throw new Error(
    `OpenRouter OpenAPI document not found. Set ${SPEC_PATH_ENVIRONMENT_VARIABLE} or place it at ` +
      `<ancestor>/${SPEC_RELATIVE_PATH}. Tried:\n  ${tried.join('\n  ')}`,
  );
}

/** The directory itself, then each parent up to the file-system root. */
function ancestors(directory: string, stopAt: string | undefined): string[] {
  const result = [directory];
  let current = directory;
  while (current !== stopAt && dirname(current) !== current) {
    current = dirname(current);
    result.push(current);
  }
  return result;
}
