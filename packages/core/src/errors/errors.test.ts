import { describe, expect, it } from 'vitest';
import { AttemptError } from './attempt-error.js';
import { ConfigError } from './config-error.js';
import { RoutingError } from './routing-error.js';
import { SwitchyardError } from './switchyard-error.js';

describe('error classes', () => {
  const trace = {} as RoutingError['trace'];
  const attempt = new AttemptError({ code: 'rate_limited', message: 'slow down', retryAfterMs: 1500 });
  const routing = new RoutingError({ code: 'no_route', message: 'unknown model or route "x"', trace });
  const config = new ConfigError([{ path: 'routes.a', message: 'bad' }]);

  it('tells each subclass apart by marker, across package copies', () => {
    expect([attempt, routing, config].map((error) => SwitchyardError.isInstance(error))).toEqual([
      true,
      true,
      true,
    ]);
    expect([attempt, routing, config].map((error) => RoutingError.isInstance(error))).toEqual([
      false,
      true,
      false,
    ]);
    expect([attempt, routing, config].map((error) => AttemptError.isInstance(error))).toEqual([
      true,
      false,
      false,
    ]);
    expect([attempt, routing, config].map((error) => ConfigError.isInstance(error))).toEqual([
      false,
      false,
      true,
    ]);
    expect(SwitchyardError.isInstance(new Error('x'))).toBe(false);
  });

  it('has the http-errors shape: status, statusCode, expose, headers with Retry-After', () => {
    expect(attempt).toMatchObject({
      status: 429,
      statusCode: 429,
      expose: true,
      headers: { 'retry-after': '2' },
    });
    expect(routing).toMatchObject({ status: 404, expose: true });
    expect(config).toMatchObject({ status: 500, expose: false, code: 'invalid_config' });
    expect(config.message).toBe('Invalid Switchyard configuration:\n  routes.a: bad');
    expect([attempt.retryable, routing.retryable, config.retryable]).toEqual([true, false, false]);
  });
});
