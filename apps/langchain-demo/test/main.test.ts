import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

it('`pnpm start` runs the demo on the embedded default, prints traces and costs, exits 0', async () => {
  const child = spawn(process.execPath, [MAIN], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const [code] = await once(child, 'exit');
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toMatch(
    /^Switchyard × LangChain on the embedded mock upstream \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\)/,
  );
  for (const heading of ['1. prompt | ChatSwitchyard', '2. stream', '3. bindTools', '4. createAgent']) {
    expect(stdout).toContain(heading);
  }
  expect(stdout).toContain('served by anthropic/claude-sonnet-4.6 via openrouter, escalated');
  expect(stdout).toContain('served by meta-llama/llama-3.3-70b-instruct via openrouter, fell back');
  expect(stdout).toMatch(/Total: 8 upstream attempts, \$0\.\d+ \(of which \$0\.\d+ platform fees\)/);
  // The provider key of the embedded config never shows.
  expect(stdout).not.toContain('sk-or-demo-provider-key');
});
