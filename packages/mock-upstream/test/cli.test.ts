import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArguments, runCli } from '../src/run-cli.js';
import { postChat, userMessage } from './support.js';

describe('switchyard-mock CLI', () => {
  it('starts a mock, prints its base URL and serves it', async () => {
    const printed: string[] = [];
    const mock = await runCli(['--port', '0', '--seed', '3', '--fault', '429=0.5', '--latency-fixed', '1'], {
      write: (text) => printed.push(text),
    });
    if (mock === undefined) throw new Error('expected a running mock');
    try {
      expect(printed).toEqual([`${mock.url}\n`]);
      expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      const models = await fetch(`${mock.url}/models`);
      expect(models.status).toBe(200);
      const statuses: number[] = [];
      for (let index = 0; index < 10; index += 1) {
        const response = await postChat(mock, { model: 'mock/small-8k', messages: userMessage('x') });
        await response.text();
        statuses.push(response.status);
      }
      expect(statuses).toContain(429);
      expect(statuses).toContain(200);
    } finally {
      await mock.close();
    }
  });

  it('parses every flag into mock options', () => {
    expect(
      parseCliArguments([
        '--port=4011',
        '--host',
        '0.0.0.0',
        '--latency-median',
        '200',
        '--latency-p99',
        '900',
        '--fault',
        '429=0.1',
        '--fault',
        'reset=0.01',
        '--fault',
        'slow=0.05',
        '--slow-ms',
        '300',
        '--fault-model',
        'openai/gpt-4o',
        '--chunk-delay',
        '5',
        '--keep-alive-between',
        '--usage-chunk-style',
        '2025',
        '--api-key',
        'k1',
        '--quirk',
        'meta-llama/llama-3.3-70b-instruct=tools:ignore',
        '--quirk',
        'openai/gpt-4o=tools:malformed-arguments,json-schema:ignore',
      ]),
    ).toEqual({
      port: 4011,
      host: '0.0.0.0',
      seed: 1,
      latency: { medianMs: 200, p99Ms: 900 },
      faults: { rates: { 429: 0.1, reset: 0.01, slow: 0.05 }, models: ['openai/gpt-4o'], slowMs: 300 },
      chunkDelayMs: 5,
      keepAlive: { between: true },
      usageChunkStyle: '2025',
      apiKeys: ['k1'],
      quirks: {
        'meta-llama/llama-3.3-70b-instruct': { tools: 'ignore' },
        'openai/gpt-4o': { tools: 'malformed-arguments', jsonSchema: 'ignore' },
      },
    });
    expect(parseCliArguments([])).toMatchObject({ port: 4010, host: '127.0.0.1' });
  });

  it('prints help for --help and starts nothing', async () => {
    const printed: string[] = [];
    expect(await runCli(['--help'], { write: (text) => printed.push(text) })).toBeUndefined();
    expect(printed.join('')).toContain('Usage: switchyard-mock');
  });

  it('explains bad flags clearly', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--nope'], /Unknown option '--nope'[\s\S]*Usage: switchyard-mock/],
      [['--port', 'abc'], /--port expects a whole number up to 65535, got "abc"/],
      [['--port', '70000'], /--port expects a whole number up to 65535/],
      [['--fault', '429'], /--fault expects <kind>=<rate> such as 429=0.1, got "429"/],
      [['--fault', 'teapot=0.1'], /--fault: Unknown fault "teapot"/],
      [['--slow-ms', '300'], /--slow-ms needs a --fault slow=<rate>/],
      [['--fault', '429=0.8', '--fault', '500=0.8'], /add up to at most 1|must add up to at most 1/],
      [['--latency-median', '100'], /--latency-median and --latency-p99 must be given together/],
      [['--latency-median', '100', '--latency-p99', '10'], /must be at least --latency-median/],
      [['--usage-chunk-style', '2024'], /--usage-chunk-style must be 2026 or 2025/],
      [['--quirk', 'tools:ignore'], /--quirk expects <model>=<quirk>/],
      [
        ['--quirk', 'openai/gpt-4o=vision:ignore'],
        /--quirk: unknown quirk "vision:ignore"; known: tools:ignore/,
      ],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseCliArguments(argv), argv.join(' ')).toThrow(message);
      expect(() => parseCliArguments(argv)).toThrow(CliUsageError);
    }
  });
});
