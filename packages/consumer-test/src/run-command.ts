import { execFile } from 'node:child_process';

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** Working directory. */
  cwd: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Written to the command's stdin. */
  input?: string;
  /**
   * Killed after this long.
   * @default 300000
   */
  timeoutMs?: number;
}

/** What a command printed. */
export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end and resolves with its output; rejects with the command line, the exit
 * code and both outputs, so that a failed install or compile explains itself in the test report.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions,
): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 300_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ stdout, stderr });
        const line = [command, ...args].join(' ');
        reject(new Error(`${line} (in ${options.cwd}) failed: ${error.message}\n${stdout}\n${stderr}`));
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}
