import { describe, expect, it } from 'vitest';
import { runSwitchyard, runSwitchyardJson } from './run-switchyard.js';

interface MixJson {
  ratio: number;
  rows: Array<{
    policy: string;
    label: string;
    premiumShare: number;
    relativeCost: number;
    savingPercent: number;
    relativeCostWithCheapAttempt: number | null;
  }>;
}

const ARTICLE_INPUTS = ['cost', 'mix', '--ratio', '8', '--premium-share', '1,0.5,0.2,0.1'];

describe('switchyard cost mix', () => {
  it("reproduces the article's table with the article's inputs", async () => {
    const { code, stdout, stderr } = await runSwitchyard(ARTICLE_INPUTS);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      [
        'Relative cost per request: cheap model 1.0x, premium model 8.0x (--ratio 8)',
        'relative cost = share × 8 + (1 − share), share = requests that end up on the premium model',
        '',
        'policy                       premium share  relative cost  saving vs everything premium  with cheap attempt',
        '---------------------------  -------------  -------------  ----------------------------  ------------------',
        'everything premium                    100%           8.0x                            0%                   -',
        'half premium                           50%           4.5x                         43.8%                   -',
        'cheap-first                            20%           2.4x                           70%                2.6x',
        'cheap-first plus validation            10%           1.7x                         78.8%                1.8x',
        '',
        'with cheap attempt: an escalated request pays its cheap attempt too, 1 + share × 8',
        '',
      ].join('\n'),
    );
  });

  it('gives exact numbers as JSON, the cheap attempt only for cheap-first policies', async () => {
    const { code, json } = await runSwitchyardJson<MixJson>(ARTICLE_INPUTS);
    expect(code).toBe(0);
    expect(json).toEqual({
      ratio: 8,
      rows: [
        {
          policy: 'everything-premium',
          label: 'everything premium',
          premiumShare: 1,
          relativeCost: 8,
          savingPercent: 0,
          relativeCostWithCheapAttempt: null,
        },
        {
          policy: 'half-premium',
          label: 'half premium',
          premiumShare: 0.5,
          relativeCost: 4.5,
          savingPercent: 43.75,
          relativeCostWithCheapAttempt: null,
        },
        {
          policy: 'cheap-first',
          label: 'cheap-first',
          premiumShare: 0.2,
          relativeCost: 2.4,
          savingPercent: 70,
          relativeCostWithCheapAttempt: 2.6,
        },
        {
          policy: 'cheap-first-validation',
          label: 'cheap-first plus validation',
          premiumShare: 0.1,
          relativeCost: 1.7,
          savingPercent: 78.75,
          relativeCostWithCheapAttempt: 1.8,
        },
      ],
    });
  });

  it('keeps the maths exact for other inputs (no float drift, up to three decimals shown)', async () => {
    const { json } = await runSwitchyardJson<MixJson>([
      'cost',
      'mix',
      '--ratio',
      '12.5',
      '--premium-share',
      '1,0.5,0.15,0.07',
    ]);
    expect(json.rows.map((row) => row.relativeCost)).toEqual([12.5, 6.75, 2.725, 1.805]);
    expect(json.rows.map((row) => row.relativeCostWithCheapAttempt)).toEqual([null, null, 2.875, 1.875]);
    const { stdout } = await runSwitchyard([
      'cost',
      'mix',
      '--ratio',
      '3',
      '--premium-share',
      '1,0.5,0.15,0',
    ]);
    expect(stdout).toMatch(/^cheap-first\s+15%\s+1\.3x\s+56\.7%\s+1\.45x$/m);
    expect(stdout).toMatch(/^cheap-first plus validation\s+0%\s+1\.0x\s+66\.7%\s+1\.0x$/m);
  });

  it('documents the formulas in --help', async () => {
    const { code, stdout } = await runSwitchyard(['cost', 'mix', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('relative cost = share × ratio + (1 − share)');
    expect(stdout).toContain('1 + share × ratio');
    expect(stdout).toContain('cheap-first plus validation');
  });

  it('rejects a ratio below 1, shares outside 0–1 and anything but four shares', async () => {
    const ratio = await runSwitchyard(['cost', 'mix', '--ratio', '0.5']);
    expect(ratio.code).toBe(2);
    expect(ratio.stderr).toBe(
      'switchyard cost mix: --ratio must be a number of at least 1 (premium price ÷ cheap price), got "0.5"\n',
    );
    const expected =
      '--premium-share must be four shares between 0 and 1, one per policy (everything premium, half premium, cheap-first, cheap-first plus validation)';
    const share = await runSwitchyard(['cost', 'mix', '--premium-share', '1,0.5,1.5,0.1']);
    expect(share).toEqual({ code: 2, stdout: '', stderr: `switchyard cost mix: ${expected}, got "1.5"\n` });
    const count = await runSwitchyard(['cost', 'mix', '--premium-share', '0.2']);
    expect(count).toEqual({ code: 2, stdout: '', stderr: `switchyard cost mix: ${expected}, got "0.2"\n` });
  });
});
