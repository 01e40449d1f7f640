import { describe, expect, it } from 'vitest';
import { runSwitchyard, runSwitchyardJson } from './run-switchyard.js';

interface FeeJson {
  feePercent: string;
  rows: Array<{ spendUsd: string; feeUsd: string; totalUsd: string }>;
}

describe('switchyard cost fee', () => {
  it('computes the fee and total exactly', async () => {
    const { code, json } = await runSwitchyardJson<FeeJson>([
      'cost',
      'fee',
      '--spend',
      '500,2000,10000,0.01',
      '--fee',
      '5.5',
    ]);
    expect(code).toBe(0);
    expect(json).toEqual({
      feePercent: '5.5',
      rows: [
        { spendUsd: '500', feeUsd: '27.5', totalUsd: '527.5' },
        { spendUsd: '2000', feeUsd: '110', totalUsd: '2110' },
        { spendUsd: '10000', feeUsd: '550', totalUsd: '10550' },
        { spendUsd: '0.01', feeUsd: '0.00055', totalUsd: '0.01055' },
      ],
    });
  });

  it('defaults to 5.5% and takes another fee (5% crypto / BYOK)', async () => {
    const defaults = await runSwitchyardJson<FeeJson>(['cost', 'fee', '--spend', '123.45']);
    expect(defaults.json.rows).toEqual([{ spendUsd: '123.45', feeUsd: '6.78975', totalUsd: '130.23975' }]);
    const crypto = await runSwitchyardJson<FeeJson>(['cost', 'fee', '--spend', '$2000', '--fee=5']);
    expect(crypto.json).toEqual({
      feePercent: '5',
      rows: [{ spendUsd: '2000', feeUsd: '100', totalUsd: '2100' }],
    });
  });

  it("reproduces the article's table with the article's inputs, in dollars", async () => {
    const { code, stdout, stderr } = await runSwitchyard([
      'cost',
      'fee',
      '--spend',
      '500,2000,10000',
      '--fee',
      '5.5',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      [
        'monthly spend  fee (5.5%)       total',
        '-------------  ----------  ----------',
        '      $500.00      $27.50     $527.50',
        '    $2,000.00     $110.00   $2,110.00',
        '   $10,000.00     $550.00  $10,550.00',
        '',
      ].join('\n'),
    );
  });

  it('mentions the crypto and BYOK fees in --help', async () => {
    const { code, stdout } = await runSwitchyard(['cost', 'fee', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: switchyard cost fee/);
    expect(stdout).toContain('5 when paying in crypto');
    expect(stdout).toContain('BYOK');
  });

  it('rejects bad values with exit 2 and one line naming the flag', async () => {
    expect(await runSwitchyard(['cost', 'fee', '--spend', 'abc'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'switchyard cost fee: --spend must be a list of USD amounts, got "abc"\n',
    });
    expect(await runSwitchyard(['cost', 'fee', '--spend', '500,,2000'])).toMatchObject({
      code: 2,
      stderr: 'switchyard cost fee: --spend must be a list of USD amounts, got ""\n',
    });
    expect(await runSwitchyard(['cost', 'fee', '--fee', '120'])).toMatchObject({
      code: 2,
      stderr: 'switchyard cost fee: --fee must be a percent between 0 and 100, e.g. 5.5, got "120"\n',
    });
    expect(await runSwitchyard(['cost', 'fee', '--fees', '5'])).toMatchObject({
      code: 2,
      stderr: 'switchyard cost fee: unknown flag --fees\n',
    });
    expect(await runSwitchyard(['cost', 'fee', '--spend'])).toMatchObject({
      code: 2,
      stderr: 'switchyard cost fee: --spend needs a value\n',
    });
    expect(await runSwitchyard(['cost', 'fee', '--json=yes'])).toMatchObject({
      code: 2,
      stderr: 'switchyard cost fee: --json takes no value\n',
    });
    expect(await runSwitchyard(['cost', 'fee', 'extra'])).toMatchObject({
      code: 2,
      stderr: 'switchyard cost fee: unexpected argument "extra"\n',
    });
  });
});
