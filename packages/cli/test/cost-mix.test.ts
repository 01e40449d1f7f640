import { describe, expect, it } from 'vitest';
import { runSwitchyard, runSwitchyardJson } from './run-switchyard.js';

interface MixJson {
  ratio: number;
  rows: Array<{
    premiumShare: number;
    policies: Array<{
      policy: string;
      label: string;
      relativeCost: number;
      savingPercent: number;
      badAnswerShare: number;
    }>;
  }>;
}

describe('switchyard cost mix', () => {
  it('computes the four policies exactly', async () => {
    const { code, json } = await runSwitchyardJson<MixJson>([
      'cost',
      'mix',
      '--ratio',
      '8',
      '--premium-share',
      '1,0.5,0.2,0.1',
    ]);
    expect(code).toBe(0);
    expect(json.ratio).toBe(8);
    expect(json.rows.map((row) => row.premiumShare)).toEqual([1, 0.5, 0.2, 0.1]);
    const atFifth = json.rows[2];
    expect(atFifth?.policies).toEqual([
      { policy: 'all-premium', label: 'all premium', relativeCost: 8, savingPercent: 0, badAnswerShare: 0 },
      {
        policy: 'half-and-half',
        label: 'half and half',
        relativeCost: 4.5,
        savingPercent: 43.75,
        badAnswerShare: 0.1,
      },
      {
        policy: 'cheap-first',
        label: 'cheap-first, no validation',
        relativeCost: 1,
        savingPercent: 87.5,
        badAnswerShare: 0.2,
      },
      {
        policy: 'cascade',
        label: 'cheap-first + validation (cascade)',
        relativeCost: 2.6,
        savingPercent: 67.5,
        badAnswerShare: 0,
      },
    ]);
    const cascade = json.rows.map((row) => row.policies.find((policy) => policy.policy === 'cascade'));
    expect(cascade.map((policy) => policy?.relativeCost)).toEqual([9, 5, 2.6, 1.8]);
    expect(cascade.map((policy) => policy?.savingPercent)).toEqual([-12.5, 37.5, 67.5, 77.5]);
  });

  it('prints one block per premium share', async () => {
    const { code, stdout } = await runSwitchyard(['cost', 'mix', '--ratio', '8', '--premium-share', '0.2']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^premium share\s+policy\s+relative cost\s+saving vs all premium\s+answered badly$/,
    );
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(/^\s+0\.2\s+all premium\s+8\s+0%\s+0%$/),
      expect.stringMatching(/^\s+half and half\s+4\.5\s+43\.8%\s+10%$/),
      expect.stringMatching(/^\s+cheap-first, no validation\s+1\s+87\.5%\s+20%$/),
      expect.stringMatching(/^\s+cheap-first \+ validation \(cascade\)\s+2\.6\s+67\.5%\s+0%$/),
    ]);
  });

  it('documents the formulas in --help', async () => {
    const { code, stdout } = await runSwitchyard(['cost', 'mix', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('(ratio + 1) / 2');
    expect(stdout).toContain('1 + p × ratio');
  });

  it('rejects a ratio below 1 and shares outside 0–1', async () => {
    const ratio = await runSwitchyard(['cost', 'mix', '--ratio', '0.5']);
    expect(ratio.code).toBe(2);
    expect(ratio.stderr).toBe(
      'switchyard cost mix: --ratio must be a number of at least 1 (premium price ÷ cheap price), got "0.5"\n',
    );
    const share = await runSwitchyard(['cost', 'mix', '--premium-share', '0.5,1.5']);
    expect(share.code).toBe(2);
    expect(share.stderr).toBe(
      'switchyard cost mix: --premium-share must be a list of shares between 0 and 1, got "1.5"\n',
    );
  });
});
