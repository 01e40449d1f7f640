import { describe, expect, it } from 'vitest';
import { type MockUpstreamOptions, startMockUpstream } from '../src/index.js';
import { jsonOf, oracle, postChat, userMessage } from './support.js';

/** Statuses of `count` sequential requests (0 for a connection error). */
async function statusSequence(
  options: MockUpstreamOptions,
  input: { count: number; model?: string },
): Promise<number[]> {
  const mock = await startMockUpstream(options);
  try {
    const statuses: number[] = [];
    for (let index = 0; index < input.count; index += 1) {
      const response = await postChat(mock, {
        model: input.model ?? 'openai/gpt-4o-mini',
        messages: userMessage(`request ${index}`),
      }).catch(() => undefined);
      if (response === undefined) statuses.push(0);
      else {
        await response.arrayBuffer();
        statuses.push(response.status);
      }
    }
    return statuses;
  } finally {
    await mock.close();
  }
}

const FAULTS = { rates: { 429: 0.2, 502: 0.1, reset: 0.05 } } satisfies MockUpstreamOptions['faults'];

describe('seeded random faults', () => {
  it('replays the same sequence of statuses for the same seed', async () => {
    const first = await statusSequence({ seed: 42, faults: FAULTS }, { count: 60 });
    const second = await statusSequence({ seed: 42, faults: FAULTS }, { count: 60 });
    expect(second).toEqual(first);
    expect(first).toContain(429);
    expect(first).toContain(502);
    expect(first).toContain(200);
    const other = await statusSequence({ seed: 43, faults: FAULTS }, { count: 60 });
    expect(other).not.toEqual(first);
  });

  it('the sequence does not change when latency is turned on', async () => {
    const plain = await statusSequence({ seed: 7, faults: FAULTS }, { count: 30 });
    const withLatency = await statusSequence(
      { seed: 7, faults: FAULTS, latency: { medianMs: 1, p99Ms: 3 } },
      { count: 30 },
    );
    expect(withLatency).toEqual(plain);
  });

  it('draws roughly at the configured rate', async () => {
    const statuses = await statusSequence({ seed: 3, faults: { rates: { 503: 0.5 } } }, { count: 200 });
    const failures = statuses.filter((status) => status === 503).length;
    expect(failures).toBeGreaterThan(70);
    expect(failures).toBeLessThan(130);
  });

  it('limits faults to the listed models', async () => {
    const options = { seed: 5, faults: { rates: { 500: 1 }, models: ['openai/gpt-4o'] } };
    expect(await statusSequence(options, { count: 5, model: 'openai/gpt-4o' })).toEqual([
      500, 500, 500, 500, 500,
    ]);
    expect(await statusSequence(options, { count: 5, model: 'openai/gpt-4o-mini' })).toEqual([
      200, 200, 200, 200, 200,
    ]);
  });

  it('logs which fault shaped the response', async () => {
    const mock = await startMockUpstream({ faults: { rates: { 'error-200': 1 } } });
    try {
      const body = await jsonOf(postChat(mock, { model: 'mock/small-8k', messages: userMessage('x') }));
      expect(body.error.code).toBe(502);
      expect(mock.requests[0]?.step).toBe('error-200');
    } finally {
      await mock.close();
    }
  });

  it('answers a slow fault with a normal success, slowMs late', async () => {
    const mock = await startMockUpstream({ seed: 2, faults: { rates: { slow: 1 }, slowMs: 120 } });
    try {
      const started = performance.now();
      const body = await jsonOf(postChat(mock, { model: 'mock/small-8k', messages: userMessage('x') }));
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
      expect(body.choices[0]?.message.content).toBe('Mock reply from mock/small-8k: you said "x".');
      expect(mock.requests[0]).toMatchObject({ status: 200, outcome: 'completed', step: 'success' });
      oracle.assertValid('ChatResult', body);
    } finally {
      await mock.close();
    }
  });

  it('mixes slow answers with errors at their rates, deterministically by seed', async () => {
    const options = { seed: 11, faults: { rates: { 502: 0.3, slow: 0.3 }, slowMs: 1 } };
    const statuses = await statusSequence(options, { count: 100 });
    expect(await statusSequence(options, { count: 100 })).toEqual(statuses);
    const failed = statuses.filter((status) => status === 502).length;
    expect(failed).toBeGreaterThan(15);
    expect(failed).toBeLessThan(45);
  });

  it('rejects a negative slowMs', async () => {
    await expect(startMockUpstream({ faults: { rates: { slow: 0.1 }, slowMs: -1 } })).rejects.toThrow(
      /slowMs must be a number of milliseconds ≥ 0, got -1/,
    );
  });

  it('rejects unknown faults and rates above 1', async () => {
    await expect(startMockUpstream({ faults: { rates: { 418: 0.1 } as never } })).rejects.toThrow(
      /Unknown fault "418"/,
    );
    await expect(startMockUpstream({ faults: { rates: { 429: 0.7, 502: 0.6 } } })).rejects.toThrow(
      /at most 1/,
    );
  });
});

describe('latency', () => {
  it('fixed latency delays the first byte', async () => {
    const mock = await startMockUpstream({ latency: { fixedMs: 80 } });
    try {
      const started = Date.now();
      await jsonOf(postChat(mock, { model: 'mock/small-8k', messages: userMessage('x') }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    } finally {
      await mock.close();
    }
  });

  it('log-normal latency is centred on the median', async () => {
    const durations = async (): Promise<number[]> => {
      const mock = await startMockUpstream({ seed: 9, latency: { medianMs: 20, p99Ms: 60 } });
      try {
        const results: number[] = [];
        for (let index = 0; index < 15; index += 1) {
          const started = performance.now();
          await jsonOf(postChat(mock, { model: 'mock/small-8k', messages: userMessage('x') }));
          results.push(performance.now() - started);
        }
        return results;
      } finally {
        await mock.close();
      }
    };
    const sorted = (await durations()).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    expect(median).toBeGreaterThanOrEqual(8);
    expect(median).toBeLessThan(60);
  });

  it('rejects a p99 below the median', async () => {
    await expect(startMockUpstream({ latency: { medianMs: 50, p99Ms: 10 } })).rejects.toThrow(/p99Ms/);
  });
});
