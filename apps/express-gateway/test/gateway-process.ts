import { type ChildProcess, spawn } from 'node:child_process';
import { expect } from 'vitest';

const MAIN = new URL('../dist/main.js', import.meta.url).pathname;

/**
 * Gateway processes started as `pnpm start` runs them (`node dist/main.js`), each on a free port
 * with a config file; `killAll` ends those still running. The fleet tests start several at once.
 */
export function gatewayProcesses() {
  const children: ChildProcess[] = [];
  return {
    /** Starts one (`env` added to its environment) and waits for its start-up banner; the URL is the one it printed. */
    async start(
      configFile: string,
      env: Record<string, string> = {},
    ): Promise<{ child: ChildProcess; url: string }> {
      const child = spawn(process.execPath, [MAIN], {
        env: { PATH: process.env.PATH ?? '', PORT: '0', SWITCHYARD_CONFIG: configFile, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      // Several processes start at once on two cores: give them longer than one alone needs (~6 s).
      await expect.poll(() => stdout, { timeout: 30_000 }).toContain('Ctrl-C stops the gateway');
      return { child, url: /listening on (http:\/\/\S+)/.exec(stdout)?.[1] as string };
    },
    killAll(): void {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
