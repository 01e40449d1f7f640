import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouter, formatUsd, ledgerToJson, parseUsd, type SpendSummary } from '@switchyard/core';
import { startMockUpstream } from '@switchyard/mock-upstream';
import { describe, expect, it } from 'vitest';
import { runSwitchyard, runSwitchyardJson } from './run-switchyard.js';

interface SpendJson {
  by: string;
  groups: Array<{ group: string | null; summary: SpendSummary }>;
  total: SpendSummary;
}

/** A real ledger: a cached route on the mock upstream, two keys, three hits. */
async function recordLedger(): Promise<{ file: string; firstCostUsd: string; jsonLines: string }> {
  const mock = await startMockUpstream();
  const router = createRouter({
    config: {
      providers: { mock: { baseURL: mock.url, apiKey: 'sk-or-v1-cli-spend-test-0000' } },
      models: { mini: { provider: 'mock', model: 'openai/gpt-4o-mini' } },
      routes: { faq: { strategy: 'fallback', targets: ['mini'], cache: { ttlSeconds: 60 } } },
    },
  });
  try {
    const question = { model: 'faq', messages: [{ role: 'user' as const, content: 'Opening hours?' }] };
    const first = await router.chat(question, { caller: { key: 'team-a' } });
    await router.chat(question, { caller: { key: 'team-a' } });
    await router.chat(question, { caller: { key: 'team-a' } });
    await router.chat(question, { caller: { key: 'team-b' } });
    await router.chat(question, { caller: { key: 'team-b' } });
    const entries = await router.ledger.query();
    const file = join(await mkdtemp(join(tmpdir(), 'switchyard-spend-')), 'ledger.json');
    await writeFile(file, ledgerToJson(entries));
    return {
      file,
      firstCostUsd: first.trace.costUsd,
      jsonLines: entries.map((entry) => JSON.stringify(entry)).join('\n'),
    };
  } finally {
    await router.close();
    await mock.close();
  }
}

describe('switchyard spend', () => {
  it('sums a ledger export per key: spend, cache hits and what they saved, exactly', async () => {
    const { file, firstCostUsd } = await recordLedger();
    const { code, json } = await runSwitchyardJson<SpendJson>(['spend', file]);
    expect(code).toBe(0);
    const times = (count: bigint) => formatUsd(parseUsd(firstCostUsd) * count);
    expect(json.by).toBe('key');
    expect(
      json.groups.map(({ group, summary }) => [
        group,
        summary.attempts,
        summary.cacheHits,
        summary.costUsd,
        summary.savedUsd,
      ]),
    ).toEqual([
      ['team-a', 1, 2, firstCostUsd, times(2n)],
      ['team-b', 1, 1, firstCostUsd, firstCostUsd],
    ]);
    expect(json.total).toMatchObject({ attempts: 2, cacheHits: 3, costUsd: times(2n), savedUsd: times(3n) });

    const byRoute = await runSwitchyardJson<SpendJson>(['spend', file, '--by', 'route']);
    expect(byRoute.json.groups).toMatchObject([
      { group: 'faq', summary: { cacheHits: 3, savedUsd: times(3n) } },
    ]);
  });

  it('prints a table per model, and reads JSON lines from stdin', async () => {
    const { jsonLines } = await recordLedger();
    const { code, stdout, stderr } = await runSwitchyard(['spend', '-', '--by', 'model'], {
      stdin: jsonLines,
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^model\s+attempts\s+tokens\s+cost\s+cache hits\s+saved$/);
    expect(lines[2]).toMatch(/^openai\/gpt-4o-mini\s+2\s+\d+\s+\$0\.\d+\s+3\s+\$0\.\d+$/);
    expect(lines[3]).toMatch(/^total\s+2\s+/);
  });

  it('names what is wrong with a file that is not a ledger, and a bad --by', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'switchyard-spend-')), 'bad.json');
    await writeFile(
      file,
      JSON.stringify([{ outcome: 'success', tokenCostUsd: '0', feeUsd: '0', costUsd: 0.5 }]),
    );
    expect(await runSwitchyard(['spend', file])).toMatchObject({
      code: 2,
      stderr: `switchyard spend: ${file} entry 1: costUsd must be a USD decimal string, got 0.5\n`,
    });
    expect(await runSwitchyard(['spend', file, '--by', 'colour'])).toMatchObject({
      code: 2,
      stderr:
        'switchyard spend: --by must be one of key, route, model, provider, target, user, got "colour"\n',
    });
    expect(await runSwitchyard(['spend'])).toMatchObject({ code: 2 });
    expect(await runSwitchyard(['spend', join(tmpdir(), 'no-such-ledger.json')])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('file not found'),
    });
  });
});
