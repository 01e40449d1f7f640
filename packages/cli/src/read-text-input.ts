import { readFile } from 'node:fs/promises';
import { CliUsageError } from './cli-usage-error.js';

/**
 * Reads a file named by a flag as UTF-8 text; `-` reads `stdin` to its end.
 * @throws CliUsageError naming the flag when the file cannot be read
 */
export async function readTextInput(options: {
  flag: string;
  path: string;
  stdin: AsyncIterable<string | Uint8Array>;
}): Promise<string> {
  if (options.path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of options.stdin)
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(options.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : String(error);
    throw new CliUsageError(`${options.flag} cannot read "${options.path}": ${reason}`);
  }
}
