import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { OUTCOME_CODES, OUTCOME_RULES } from '../errors/outcome-codes.js';
import { parseUsd } from '../pricing/money.js';
import type { SwitchyardConfig } from './config-types.js';
import {
  CONFIG_DEFAULTS,
  resolveConfig,
  resolveRequestLimits,
  resolveServerLimits,
} from './resolve-config.js';

const PROVIDERS: SwitchyardConfig['providers'] = {
  openrouter: { baseURL: 'https://openrouter.ai/api/v1' },
  local: { baseURL: 'http://127.0.0.1:11434/v1' },
};

const resolve = (config: Omit<SwitchyardConfig, 'providers'> = {}) =>
  resolveConfig({ providers: PROVIDERS, ...config });

function issuesOf(input: unknown): string[] {
  try {
    resolveConfig(input);
  } catch (error) {
    if (ConfigError.isInstance(error)) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('fills every default the config types document with @default', () => {
    const resolved = resolve();
    expect(resolved.retry).toEqual({
      maxAttempts: 3,
      baseDelayMs: 200,
      maxDelayMs: 5_000,
      maxRetryAfterMs: 10_000,
      rounds: 1,
      maxRequestAttempts: 10,
    });
    expect(resolved.timeouts).toEqual({ attemptMs: 60_000, totalMs: 120_000, stallMs: 30_000 });
    expect(resolved.breaker).toEqual({ failureThreshold: 5, windowMs: 60_000, cooldownMs: 30_000 });
    expect(resolved.costCheck).toEqual({ tolerance: 0.05, maxReported: 5_000_000_000_000n });
    expect(resolved.ceiling).toBeUndefined();
    expect(resolved.bundledCatalog).toBe(true);
    expect(resolved.allowRawModels).toBe(true);
    expect(resolved.connections).toBe(128);
    expect(resolved.hedgeAfterMs).toBe(1_000);
    expect(resolved.upstreamLimits).toEqual({
      maxAnswerBytes: 16 * 1024 * 1024,
      maxStreamBytes: 64 * 1024 * 1024,
      maxStreamMs: 600_000,
      maxSseLineBytes: 8 * 1024 * 1024,
    });
    expect(resolveRequestLimits(undefined)).toEqual({
      maxDepth: 64,
      maxMessages: 10_000,
      maxModels: 8,
      maxNameLength: 256,
      maxStringLength: 4 * 1024 * 1024,
    });
    expect(resolveServerLimits(undefined)).toEqual({
      headersTimeoutMs: 15_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 4096,
      maxConnectionsPerIp: undefined,
    });
  });

  it('takes request, server and upstream limits from the config, keeping defaults for the rest', () => {
    const resolved = resolve({ upstreamLimits: { maxStreamMs: 1000 } });
    expect(resolved.upstreamLimits).toEqual({ ...CONFIG_DEFAULTS.upstreamLimits, maxStreamMs: 1000 });
    expect(resolveRequestLimits({ maxDepth: 8 })).toEqual({ ...CONFIG_DEFAULTS.requestLimits, maxDepth: 8 });
    expect(resolveServerLimits({ maxConnectionsPerIp: 20 }).maxConnectionsPerIp).toBe(20);
    // Headers are part of the request: a longer headers timeout raises the request timeout with it.
    expect(resolveServerLimits({ headersTimeoutMs: 90_000 })).toMatchObject({
      headersTimeoutMs: 90_000,
      requestTimeoutMs: 90_000,
    });
  });

  it('refuses limits that cannot hold', () => {
    const issues = issuesOf({
      providers: PROVIDERS,
      server: { headersTimeoutMs: 5000, requestTimeoutMs: 1000, maxConnections: 0 },
      requestLimits: { maxDepth: 5000 },
      upstreamLimits: { maxAnswerBytes: -1 },
    });
    expect(issues.sort()).toEqual([
      'requestLimits.maxDepth: Too big: expected number to be <=1000',
      'server.headersTimeoutMs: must not be longer than requestTimeoutMs',
      'server.maxConnections: Too small: expected number to be >0',
      'upstreamLimits.maxAnswerBytes: Too small: expected number to be >0',
    ]);
  });

  it('fills the same values as CONFIG_DEFAULTS', () => {
    const resolved = resolve();
    expect(resolved.retry).toEqual(CONFIG_DEFAULTS.retry);
    expect(resolved.timeouts).toEqual(CONFIG_DEFAULTS.timeouts);
    expect(resolved.breaker).toEqual(CONFIG_DEFAULTS.breaker);
    expect(resolved.costCheck.tolerance).toBe(CONFIG_DEFAULTS.costCheck.tolerance);
    expect(resolved.costCheck.maxReported).toBe(parseUsd(CONFIG_DEFAULTS.costCheck.maxReportedUsd));
    expect(resolved.connections).toBe(CONFIG_DEFAULTS.connections);
    expect(resolved.hedgeAfterMs).toBe(CONFIG_DEFAULTS.hedgeAfterMs);
  });

  it('takes each action from the outcome table when nothing overrides it', () => {
    const { actions } = resolve();
    expect(Object.keys(actions).sort()).toEqual([...OUTCOME_CODES].sort());
    for (const code of OUTCOME_CODES) expect(actions[code]).toBe(OUTCOME_RULES[code].action);
  });

  it('keeps the validated configuration as given', () => {
    const config: SwitchyardConfig = {
      providers: PROVIDERS,
      models: { cheap: { provider: 'openrouter', model: 'meta-llama/llama-3.3-70b-instruct' } },
      routes: { default: { strategy: 'fallback', targets: ['cheap'] } },
    };
    expect(resolveConfig(config).config).toEqual(config);
  });

  it('lets given values win field by field, keeping the other defaults of a section', () => {
    const resolved = resolve({
      retry: { maxAttempts: 5 },
      timeouts: { stallMs: 5_000 },
      breaker: { cooldownMs: 1_000 },
    });
    expect(resolved.retry).toEqual({
      maxAttempts: 5,
      baseDelayMs: 200,
      maxDelayMs: 5_000,
      maxRetryAfterMs: 10_000,
      rounds: 1,
      maxRequestAttempts: 10,
    });
    expect(resolved.timeouts).toEqual({ attemptMs: 60_000, totalMs: 120_000, stallMs: 5_000 });
    expect(resolved.breaker).toEqual({ failureThreshold: 5, windowMs: 60_000, cooldownMs: 1_000 });
  });

  it('keeps a given zero rather than the default', () => {
    const resolved = resolve({
      retry: { baseDelayMs: 0, maxRetryAfterMs: 0 },
      costCheck: { tolerance: 0, maxReportedUsd: '0' },
    });
    expect(resolved.retry.baseDelayMs).toBe(0);
    expect(resolved.retry.maxRetryAfterMs).toBe(0);
    expect(resolved.costCheck).toEqual({ tolerance: 0, maxReported: 0n });
  });

  it('fills every field of a whole section given', () => {
    const retry = {
      maxAttempts: 1,
      baseDelayMs: 50,
      maxDelayMs: 400,
      maxRetryAfterMs: 2_000,
      rounds: 3,
      maxRequestAttempts: 7,
    };
    const timeouts = { attemptMs: 1_000, totalMs: 3_000, stallMs: 500 };
    const breaker = { failureThreshold: 2, windowMs: 10_000, cooldownMs: 5_000 };
    const resolved = resolve({ retry, timeouts, breaker });
    expect(resolved.retry).toEqual(retry);
    expect(resolved.timeouts).toEqual(timeouts);
    expect(resolved.breaker).toEqual(breaker);
  });

  it('turns breakers off with breaker: false, and fills the defaults for an empty section', () => {
    expect(resolve({ breaker: false }).breaker).toBeUndefined();
    expect(resolve({ breaker: {} }).breaker).toEqual({
      failureThreshold: 5,
      windowMs: 60_000,
      cooldownMs: 30_000,
    });
  });

  it('changes only the overridden codes’ actions', () => {
    const { actions } = resolve({
      outcomes: { rate_limited: 'retry', auth: 'stop', invalid_request: 'next' },
    });
    expect(actions.rate_limited).toBe('retry');
    expect(actions.auth).toBe('stop');
    expect(actions.invalid_request).toBe('next');
    for (const code of OUTCOME_CODES) {
      if (code === 'rate_limited' || code === 'auth' || code === 'invalid_request') continue;
      expect(actions[code]).toBe(OUTCOME_RULES[code].action);
    }
  });

  it('parses money exactly into picodollars', () => {
    expect(resolve({ maxCostPerRequest: '0.25' }).ceiling).toBe(250_000_000_000n);
    expect(resolve({ maxCostPerRequest: '0.000000000001' }).ceiling).toBe(1n);
    expect(resolve({ maxCostPerRequest: '0' }).ceiling).toBe(0n);
    expect(resolve({ costCheck: { maxReportedUsd: '12.3456789' } }).costCheck).toEqual({
      tolerance: 0.05,
      maxReported: 12_345_678_900_000n,
    });
  });

  it('sends raw model ids to defaultProvider, or to the first provider', () => {
    expect(resolve().defaultProvider).toBe('openrouter');
    expect(resolve({ defaultProvider: 'local' }).defaultProvider).toBe('local');
    expect(
      resolveConfig({ providers: { local: PROVIDERS.local, openrouter: PROVIDERS.openrouter } })
        .defaultProvider,
    ).toBe('local');
  });

  it('turns the bundled catalog and raw model ids off only when told', () => {
    const resolved = resolve({ bundledCatalog: false, allowRawModels: false });
    expect(resolved.bundledCatalog).toBe(false);
    expect(resolved.allowRawModels).toBe(false);
    expect(resolve({ bundledCatalog: true, allowRawModels: true })).toMatchObject({
      bundledCatalog: true,
      allowRawModels: true,
    });
  });

  it('returns a frozen object whose sections are frozen too', () => {
    const resolved = resolve({ retry: { maxAttempts: 4 } });
    expect(Object.isFrozen(resolved)).toBe(true);
    for (const section of [
      resolved.retry,
      resolved.timeouts,
      resolved.breaker,
      resolved.costCheck,
      resolved.actions,
    ]) {
      expect(Object.isFrozen(section)).toBe(true);
    }
    expect(() => {
      (resolved.retry as { maxAttempts: number }).maxAttempts = 9;
    }).toThrow(TypeError);
    expect(() => {
      (resolved.actions as Record<string, string>).timeout = 'stop';
    }).toThrow(TypeError);
    expect(resolved.retry.maxAttempts).toBe(4);
    expect(resolved.actions.timeout).toBe('next');
  });

  it('is not changed by later edits of the object it was given, nor changes CONFIG_DEFAULTS', () => {
    const input = { providers: { a: { baseURL: 'http://127.0.0.1:1/v1' } }, retry: { maxAttempts: 4 } };
    const resolved = resolveConfig(input);
    input.retry.maxAttempts = 9;
    expect(resolved.retry.maxAttempts).toBe(4);
    expect(resolved.config.retry?.maxAttempts).toBe(4);
    expect(CONFIG_DEFAULTS.retry.maxAttempts).toBe(3);
    expect(Object.isFrozen(CONFIG_DEFAULTS.retry)).toBe(true);
  });

  it('throws one ConfigError listing every problem of shape', () => {
    const input = {
      providers: {},
      retry: { maxAttempts: 0, jitter: true },
      breaker: true,
      outcomes: { rate_limited: 'wait' },
      maxCostPerRequest: '1e-3',
      costCheck: { tolerance: -1 },
    };
    expect(() => resolveConfig(input)).toThrow(ConfigError);
    expect(issuesOf(input)).toEqual([
      'providers: must define at least one provider',
      'retry.maxAttempts: Too small: expected number to be >0',
      'retry: unknown key "jitter"',
      'breaker: Invalid input',
      'outcomes.rate_limited: Invalid option: expected one of "retry"|"next"|"stop"',
      'maxCostPerRequest: expected a USD amount as a number or decimal string, e.g. 5 or "0.25"',
      'costCheck.tolerance: Too small: expected number to be >=0',
    ]);
  });

  it('throws a ConfigError with status 500 whose message lists every broken reference', () => {
    let thrown: unknown;
    try {
      resolveConfig({
        providers: PROVIDERS,
        defaultProvider: 'azure',
        models: { cheap: { provider: 'groq', model: 'llama-3.3-70b' } },
      });
    } catch (error) {
      thrown = error;
    }
    expect(ConfigError.isInstance(thrown)).toBe(true);
    const error = thrown as ConfigError;
    expect(error.code).toBe('invalid_config');
    expect(error.status).toBe(500);
    expect(error.message).toBe(
      'Invalid Switchyard configuration:\n  defaultProvider: unknown provider "azure"\n  models.cheap.provider: unknown provider "groq"',
    );
  });
});
