import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/switchyard.js', import.meta.url));

describe('the switchyard bin', () => {
  // The bin imports dist/: turbo runs the package's build before its test (turbo.json).
  it('runs a command and sets the exit code', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      bin,
      'cost',
      'fee',
      '--spend',
      '500',
      '--json',
    ]);
    expect(JSON.parse(stdout)).toEqual({
      feePercent: '5.5',
      rows: [{ spendUsd: '500', feeUsd: '27.5', totalUsd: '527.5' }],
    });
    const failure = await promisify(execFile)(process.execPath, [bin, 'cost', 'fee', '--spend', 'abc']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({
      code: 2,
      stderr: 'switchyard cost fee: --spend must be a list of USD amounts, got "abc"\n',
    });
  });
});
