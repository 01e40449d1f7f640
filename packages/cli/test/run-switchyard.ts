import { Readable } from 'node:stream';
import { runCli } from '../src/run-cli.js';

/** What one `switchyard` invocation printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output (and optional stdin text). */
export async function runSwitchyard(
  argv: readonly string[],
  options: { stdin?: string } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([options.stdin ?? '']),
  });
  return { code, stdout, stderr };
}

/** Runs the CLI with `--json` appended and parses stdout. */
export async function runSwitchyardJson<T>(argv: readonly string[]): Promise<{ code: number; json: T }> {
  const result = await runSwitchyard([...argv, '--json']);
  if (result.stderr !== '') throw new Error(`unexpected stderr: ${result.stderr}`);
  return { code: result.code, json: JSON.parse(result.stdout) as T };
}
