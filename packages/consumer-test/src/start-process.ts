import { spawn } from 'node:child_process';

/** A running child process and the URL it announced. */
export interface StartedProcess {
  url: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Stops it (SIGTERM, SIGKILL 5 s later) and resolves once it exited. */
  stop(): Promise<void>;
}

/** Options of {@link startProcess}. */
export interface StartProcessOptions {
  cwd: string;
  env?: Record<string, string>;
  /** The stdout line that says it is ready; its first group is the URL. */
  ready: RegExp;
  /**
   * How long it may take to say so.
   * @default 30000
   */
  timeoutMs?: number;
}

/**
 * Starts `node <args>` and resolves once a stdout line matches `ready`; rejects with its output
 * when it exits or stays silent first.
 */
export function startProcess(args: readonly string[], options: StartProcessOptions): Promise<StartedProcess> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    // A process that ignores SIGTERM (or hangs closing) is not allowed to outlive the test.
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(kill);
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`node ${args.join(' ')} ${why}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail('did not get ready in time'), options.timeoutMs ?? 30_000);
    const onExit = (code: number | null): void => fail(`exited with ${code} before it was ready`);
    child.once('exit', onExit);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const url = options.ready.exec(stdout)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ url, stderr: () => stderr, stop });
    });
  });
}
