import { parseArgs } from 'node:util';
import type { LatencyProfile } from './latency-profile.js';
import type { MockUpstream } from './mock-upstream.js';
import type { MockUpstreamOptions } from './mock-upstream-options.js';
import type { ModelQuirks } from './model-quirks.js';
import { parseFaultRates, type RandomFaults } from './random-faults.js';
import { startMockUpstream } from './start-mock-upstream.js';

/** Help text of `switchyard-mock`. */
export const CLI_USAGE = `Usage: switchyard-mock [options]

Starts a mock OpenRouter upstream and prints its base URL (for OpenAI-compatible clients).

Options:
  --port <n>                TCP port, 0 for a free one (default 4010)
  --host <address>          interface (default 127.0.0.1)
  --seed <n>                seed of random faults, latency and openrouter/auto (default 1)
  --latency-median <ms>     log-normal latency before the first byte: median…
  --latency-p99 <ms>        …and 99th percentile (both required together)
  --latency-fixed <ms>      constant latency instead
  --fault <kind>=<rate>     random fault, repeatable: an error status (400 401 402 403 404
                            408 413 429 500 502 503) or slow, reset, stall, error-200,
                            finish-error, empty-choices, mid-stream-error, no-finish;
                            e.g. --fault 429=0.1
  --fault-model <id>        limit random faults to this model, repeatable
  --slow-ms <ms>            how late a slow fault answers (default 2000)
  --chunk-delay <ms>        delay between stream chunks (default 0)
  --keep-alive-between      send ": OPENROUTER PROCESSING" between stream chunks too
  --usage-chunk-style <y>   2026 (choices: []) or 2025 (one empty choice); default 2026
  --api-key <key>           accept only this bearer key, repeatable
  --quirk <model>=<quirk>   a model's lasting quirk, repeatable (comma-separate several):
                            tools:ignore, tools:malformed-arguments, json-schema:ignore;
                            e.g. --quirk meta-llama/llama-3.3-70b-instruct=tools:ignore
  -h, --help                show this help`;

/** A command-line mistake; the message says which flag and why. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /**
   * Where the base URL (or the help text) is printed.
   * @default process.stdout
   */
  write?: (text: string) => void;
}

/**
 * Parses `switchyard-mock` arguments, starts the mock and prints its base URL.
 * @returns the running mock, or undefined after `--help`
 * @throws CliUsageError for unknown flags or bad values
 * @example const mock = await runCli(['--port', '0', '--fault', '429=0.1']);
 */
export async function runCli(
  argv: readonly string[],
  options: RunCliOptions = {},
): Promise<MockUpstream | undefined> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const parsed = parseCliArguments(argv);
  if (parsed === undefined) {
    write(`${CLI_USAGE}\n`);
    return undefined;
  }
  const mock = await startMockUpstream(parsed);
  write(`${mock.url}\n`);
  return mock;
}

/** Turns arguments into mock options; undefined for `--help`. */
export function parseCliArguments(argv: readonly string[]): MockUpstreamOptions | undefined {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new CliUsageError(`${error instanceof Error ? error.message : String(error)}\n\n${CLI_USAGE}`);
  }
  if (values.help) return undefined;
  const options: MockUpstreamOptions = {
    port: integer(values.port ?? '4010', { flag: '--port', max: 65_535 }),
    host: values.host ?? '127.0.0.1',
    seed: integer(values.seed ?? '1', { flag: '--seed', max: 2 ** 32 - 1 }),
  };
  const latency = parseLatency(values);
  if (latency) options.latency = latency;
  const faults = parseFaults({
    entries: values.fault ?? [],
    models: values['fault-model'],
    slowMs: values['slow-ms'] === undefined ? undefined : integer(values['slow-ms'], { flag: '--slow-ms' }),
  });
  if (faults) options.faults = faults;
  if (values['chunk-delay'] !== undefined)
    options.chunkDelayMs = integer(values['chunk-delay'], { flag: '--chunk-delay' });
  if (values['keep-alive-between']) options.keepAlive = { between: true };
  const style = values['usage-chunk-style'];
  if (style !== undefined) {
    if (style !== '2026' && style !== '2025')
      throw new CliUsageError(`--usage-chunk-style must be 2026 or 2025, got "${style}".`);
    options.usageChunkStyle = style;
  }
  if (values['api-key'] !== undefined) options.apiKeys = values['api-key'];
  if (values.quirk !== undefined) options.quirks = parseQuirks(values.quirk);
  return options;
}

/** `node:util` parseArgs with the CLI's flags, strict. */
function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'latency-median': { type: 'string' },
      'latency-p99': { type: 'string' },
      'latency-fixed': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'fault-model': { type: 'string', multiple: true },
      'slow-ms': { type: 'string' },
      'chunk-delay': { type: 'string' },
      'keep-alive-between': { type: 'boolean' },
      'usage-chunk-style': { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      quirk: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

const QUIRKS: Readonly<Record<string, ModelQuirks>> = {
  'tools:ignore': { tools: 'ignore' },
  'tools:malformed-arguments': { tools: 'malformed-arguments' },
  'json-schema:ignore': { jsonSchema: 'ignore' },
};

/** `--quirk model=quirk[,quirk]` entries as quirks by model (a model's entries merge). */
function parseQuirks(entries: readonly string[]): Record<string, ModelQuirks> {
  const quirks: Record<string, ModelQuirks> = {};
  for (const entry of entries) {
    const split = entry.lastIndexOf('=');
    const model = entry.slice(0, split);
    if (split <= 0 || split === entry.length - 1) {
      throw new CliUsageError(
        `--quirk expects <model>=<quirk> such as openai/gpt-4o=tools:ignore, got "${entry}"`,
      );
    }
    for (const name of entry.slice(split + 1).split(',')) {
      const quirk = QUIRKS[name.trim()];
      if (quirk === undefined) {
        throw new CliUsageError(
          `--quirk: unknown quirk "${name.trim()}"; known: ${Object.keys(QUIRKS).join(', ')}`,
        );
      }
      quirks[model] = { ...quirks[model], ...quirk };
    }
  }
  return quirks;
}

/** The latency flags as a profile; undefined when none is given. */
function parseLatency(values: Record<string, unknown>): LatencyProfile | undefined {
  const median = values['latency-median'] as string | undefined;
  const p99 = values['latency-p99'] as string | undefined;
  const fixed = values['latency-fixed'] as string | undefined;
  if (fixed !== undefined) {
    if (median !== undefined || p99 !== undefined) {
      throw new CliUsageError('--latency-fixed cannot be combined with --latency-median / --latency-p99.');
    }
    return { fixedMs: integer(fixed, { flag: '--latency-fixed' }) };
  }
  if (median === undefined && p99 === undefined) return undefined;
  if (median === undefined || p99 === undefined) {
    throw new CliUsageError('--latency-median and --latency-p99 must be given together.');
  }
  const medianMs = integer(median, { flag: '--latency-median' });
  const p99Ms = integer(p99, { flag: '--latency-p99' });
  if (p99Ms < medianMs)
    throw new CliUsageError(`--latency-p99 (${p99Ms}) must be at least --latency-median (${medianMs}).`);
  return { medianMs, p99Ms };
}

/** `--fault kind=rate` entries as random faults; undefined when none. */
function parseFaults(input: {
  entries: readonly string[];
  models: string[] | undefined;
  slowMs: number | undefined;
}): RandomFaults | undefined {
  if (input.entries.length === 0) {
    if (input.slowMs !== undefined) throw new CliUsageError('--slow-ms needs a --fault slow=<rate>.');
    return undefined;
  }
  const rates: Record<string, number> = {};
  for (const entry of input.entries) {
    const match = /^([\w-]+)=(\d*\.?\d+)$/.exec(entry);
    if (!match) throw new CliUsageError(`--fault expects <kind>=<rate> such as 429=0.1, got "${entry}".`);
    rates[match[1] as string] = Number(match[2]);
  }
  const faults = {
    rates: rates as RandomFaults['rates'],
    ...(input.models ? { models: input.models } : {}),
    ...(input.slowMs === undefined ? {} : { slowMs: input.slowMs }),
  };
  try {
    parseFaultRates(faults.rates);
  } catch (error) {
    throw new CliUsageError(`--fault: ${error instanceof Error ? error.message : String(error)}`);
  }
  return faults;
}

/** Parses a non-negative integer flag value. */
function integer(text: string, limits: { flag: string; max?: number }): number {
  const value = Number(text);
  if (
    !/^\d+$/.test(text) ||
    !Number.isSafeInteger(value) ||
    value > (limits.max ?? Number.MAX_SAFE_INTEGER)
  ) {
    throw new CliUsageError(
      `${limits.flag} expects a whole number${limits.max === undefined ? '' : ` up to ${limits.max}`}, got "${text}".`,
    );
  }
  return value;
}
