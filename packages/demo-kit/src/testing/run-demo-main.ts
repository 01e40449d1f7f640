import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A curl command a demo printed: `curl -s URL [-H "name: value"]... [-d 'body']`. */
export interface PrintedCurl {
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** The curl commands in a demo's start-up text (see `demoBanner`). */
export function parseCurls(output: string): PrintedCurl[] {
  return output
    .replace(/ \\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.startsWith('curl '))
    .map((line) => ({
      url: /curl -s (\S+)/.exec(line)?.[1] ?? '',
      headers: Object.fromEntries(
        [...line.matchAll(/-H "([^:]+): ([^"]+)"/g)].map((match) => [match[1] as string, match[2] as string]),
      ),
      body: /-d '([^']*)'/.exec(line)?.[1],
    }));
}

/** A demo process started by {@link runDemoMain}. */
export interface RunningDemo {
  /** Everything it printed until its banner was complete. */
  output: string;
  /** Every stdout chunk so far (it keeps growing: log lines). */
  stdout: string[];
  child: ChildProcess;
}

const children: ChildProcess[] = [];

/**
 * Runs a built demo (`node dist/main.js`, what `pnpm start` runs) on a free port and waits until
 * its banner printed `readyWhen`. Call {@link stopDemos} after each test.
 */
export async function runDemoMain(options: {
  main: string;
  readyWhen: string;
  env?: Record<string, string>;
}): Promise<RunningDemo> {
  const child = spawn(process.execPath, [options.main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SWITCHYARD_CONFIG: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const stdout: string[] = [];
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => stdout.push(text));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => {
      output = stdout.join('');
      if (output.includes(options.readyWhen)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`demo exited with ${code}`)));
  });
  return { output, stdout, child };
}

/** Stops every demo {@link runDemoMain} started and waits for them to exit. */
export async function stopDemos(): Promise<void> {
  await Promise.all(
    children.splice(0).map(async (child) => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    }),
  );
}
