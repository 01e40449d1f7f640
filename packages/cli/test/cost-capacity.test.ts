import { describe, expect, it } from 'vitest';
import { runSwitchyard, runSwitchyardJson } from './run-switchyard.js';

interface CapacityJson {
  callsPerUser: number;
  peakFactor: number;
  limits: Record<string, number>;
  rows: Array<{
    dailyActiveUsers: number;
    requestsPerDay: number;
    tiers: Array<{ tier: string; limitPerDay: number; fits: boolean; overBy: number }>;
    verdict: string;
    verdictText: string;
    averagePerMinute: number;
    peakPerMinute: number;
    peakOverMinuteLimit: boolean;
  }>;
}

describe('switchyard cost capacity', () => {
  it('computes requests per day against the 50/day and 1,000/day tiers', async () => {
    const { code, json } = await runSwitchyardJson<CapacityJson>([
      'cost',
      'capacity',
      '--dau',
      '10,100,1000',
      '--calls',
      '5',
    ]);
    expect(code).toBe(0);
    expect(json.callsPerUser).toBe(5);
    expect(json.peakFactor).toBe(10);
    expect(json.limits).toEqual({
      requestsPerDayWithoutCredits: 50,
      requestsPerDayWithCredits: 1000,
      creditsForHigherLimitUsd: 10,
      requestsPerMinute: 20,
    });
    const [ten, hundred, thousand] = json.rows;
    expect(ten).toMatchObject({
      requestsPerDay: 50,
      verdict: 'free',
      verdictText: 'free tier (50/day) is enough',
    });
    expect(ten?.tiers.map((tier) => tier.fits)).toEqual([true, true]);
    expect(hundred).toEqual({
      dailyActiveUsers: 100,
      requestsPerDay: 500,
      tiers: [
        { tier: 'free', limitPerDay: 50, fits: false, overBy: 450 },
        { tier: 'credits', limitPerDay: 1000, fits: true, overBy: 0 },
      ],
      verdict: 'credits',
      verdictText: 'needs $10 of credits (1,000/day)',
      averagePerMinute: 0.3472,
      peakPerMinute: 3.4722,
      peakOverMinuteLimit: false,
    });
    expect(thousand).toMatchObject({
      requestsPerDay: 5000,
      verdict: 'paid',
      verdictText: 'beyond free limits: use paid models',
      peakOverMinuteLimit: true,
    });
    expect(thousand?.tiers.map((tier) => tier.overBy)).toEqual([4950, 4000]);
  });

  it('flags a peak over 20 requests a minute exactly at the boundary', async () => {
    // 2,880 requests/day = 2/min average; ×10 = 20/min: at the limit, not over it.
    const atLimit = await runSwitchyardJson<CapacityJson>([
      'cost',
      'capacity',
      '--dau',
      '2880',
      '--calls',
      '1',
    ]);
    expect(atLimit.json.rows[0]?.peakOverMinuteLimit).toBe(false);
    const over = await runSwitchyardJson<CapacityJson>(['cost', 'capacity', '--dau', '2881', '--calls', '1']);
    expect(over.json.rows[0]?.peakOverMinuteLimit).toBe(true);
    const calmer = await runSwitchyardJson<CapacityJson>([
      'cost',
      'capacity',
      '--dau',
      '2881',
      '--calls',
      '1',
      '--peak-factor',
      '2',
    ]);
    expect(calmer.json.rows[0]?.peakOverMinuteLimit).toBe(false);
  });

  it('rounds fractional calls up to whole requests, exactly', async () => {
    const { json } = await runSwitchyardJson<CapacityJson>([
      'cost',
      'capacity',
      '--dau',
      '30,101',
      '--calls',
      '0.1',
    ]);
    expect(json.rows.map((row) => row.requestsPerDay)).toEqual([3, 11]);
  });

  it("reproduces the article's table with the article's inputs", async () => {
    const { code, stdout, stderr } = await runSwitchyard([
      'cost',
      'capacity',
      '--dau',
      '100,1000,10000',
      '--calls',
      '5',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      [
        '   DAU  requests/day  free 50/day     $10 credits 1,000/day  avg/min  peak/min (×10)      verdict',
        '------  ------------  --------------  ---------------------  -------  ------------------  -----------------------------------',
        '   100           500  over by 450     fits                      0.35  3.47                needs $10 of credits (1,000/day)',
        ' 1,000         5,000  over by 4,950   over by 4,000             3.47  34.72 over 20/min   beyond free limits: use paid models',
        '10,000        50,000  over by 49,950  over by 49,000           34.72  347.22 over 20/min  beyond free limits: use paid models',
        '',
      ].join('\n'),
    );
  });

  it('prints an aligned table with a verdict per tier and overall', async () => {
    const { code, stdout } = await runSwitchyard(['cost', 'capacity', '--dau', '100,1000', '--calls', '5']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s*DAU\s+requests\/day\s+free 50\/day\s+\$10 credits 1,000\/day\s+avg\/min/);
    expect(lines[2]).toMatch(
      /^\s+100\s+500\s+over by 450\s+fits\s+0\.35\s+3\.47\s+needs \$10 of credits \(1,000\/day\)$/,
    );
    expect(lines[3]).toMatch(
      /^\s*1,000\s+5,000\s+over by 4,950\s+over by 4,000\s+3\.47\s+34\.72 over 20\/min\s+beyond free limits: use paid models$/,
    );
  });

  it('rejects bad values with exit 2 and a line naming the flag', async () => {
    const dau = await runSwitchyard(['cost', 'capacity', '--dau', '100,lots']);
    expect(dau).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'switchyard cost capacity: --dau must be a list of whole numbers of daily active users, got "lots"\n',
    });
    const peak = await runSwitchyard(['cost', 'capacity', '--peak-factor', '0']);
    expect(peak.code).toBe(2);
    expect(peak.stderr).toMatch(
      /^switchyard cost capacity: --peak-factor must be a positive number.*got "0"\n$/,
    );
    const calls = await runSwitchyard(['cost', 'capacity', '--calls', '-1']);
    expect(calls.code).toBe(2);
    expect(calls.stderr).toMatch(/--calls needs a value/);
  });
});
