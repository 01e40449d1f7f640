import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * Reads and parses an OpenAPI YAML document. Parsing OpenRouter's 1.3 MB document takes most of
 * a second, and every test file of every package pays it, so the parsed document is also kept as
 * JSON in the OS temp directory, keyed by path, size and modification time. Cache failures are
 * ignored: the YAML is then simply parsed again.
 */
export function readOpenApiDocument(specPath: string): Record<string, unknown> {
  const stats = statSync(specPath);
  const key = createHash('sha256')
    .update(`${specPath}\0${stats.size}\0${stats.mtimeMs}`)
    .digest('hex')
    .slice(0, 16);
  const cachePath = join(tmpdir(), `switchyard-spec-oracle-${key}.json`);
  try {
    return JSON.parse(readFileSync(cachePath, 'utf8')) as Record<string, unknown>;
  } catch {
    // Not cached yet (or unreadable): parse the YAML below.
  }
  const document = parse(readFileSync(specPath, 'utf8')) as Record<string, unknown>;
  try {
    const temporary = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(document));
    renameSync(temporary, cachePath);
  } catch {
    // A read-only temp directory only costs speed.
  }
  return document;
}
