import { readFile } from 'node:fs/promises';

const SECRET_ENTRY =
  /["']?(?:apiKey|api[-_]?key|authorization|x-api-key)["']?\s*[:=]\s*["']?(?:Bearer\s+)?([^"'\s,}]+)/gi;
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g;

/**
 * Values in a configuration file that must never be printed: literal API keys and auth headers,
 * and the environment values they interpolate. Read from the raw text, so they are known even when
 * the file does not parse or validate. An unreadable file has none.
 */
export async function findConfigSecrets(options: {
  path: string;
  env?: Record<string, string | undefined>;
}): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(options.path, 'utf8');
  } catch {
    return [];
  }
  const env = options.env ?? process.env;
  const secrets: string[] = [];
  for (const match of text.matchAll(SECRET_ENTRY)) {
    const value = match[1] ?? '';
    for (const variable of value.matchAll(VARIABLE)) {
      const resolved = env[variable[1] ?? ''];
      if (resolved !== undefined && resolved !== '') secrets.push(resolved);
    }
    if (!value.startsWith('${')) secrets.push(value);
  }
  return secrets;
}
