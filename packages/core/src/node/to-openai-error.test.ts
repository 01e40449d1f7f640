import { describe, expect, it } from 'vitest';
import { RoutingError } from '../errors/routing-error.js';
import { GatewayError } from './gateway-error.js';
import { toOpenAIError } from './to-openai-error.js';

describe('toOpenAIError', () => {
  it('renders gateway, Switchyard and http-errors errors in OpenAI shape with their status', () => {
    expect(
      toOpenAIError(new GatewayError({ status: 413, code: 'body_too_large', message: 'too big' })),
    ).toEqual({
      status: 413,
      headers: {},
      body: {
        error: { message: 'too big', type: 'invalid_request_error', code: 'body_too_large', param: null },
      },
    });
    const routing = new RoutingError({
      code: 'rate_limited',
      message: 'slow down',
      trace: {} as RoutingError['trace'],
      retryAfterMs: 3000,
    });
    expect(toOpenAIError(routing)).toMatchObject({
      status: 429,
      headers: { 'retry-after': '3' },
      body: { error: { type: 'rate_limit_error', code: 'rate_limited' } },
    });
    const httpError = Object.assign(new Error('Method Not Allowed'), {
      status: 405,
      expose: true,
      headers: { allow: 'POST' },
    });
    expect(toOpenAIError(httpError)).toMatchObject({
      status: 405,
      headers: { allow: 'POST' },
      body: { error: { message: 'Method Not Allowed' } },
    });
  });

  it('hides the message of anything unexpected behind a 500', () => {
    expect(toOpenAIError(new Error('database password is hunter2'))).toEqual({
      status: 500,
      headers: {},
      body: { error: { message: 'internal error', type: 'api_error', code: null, param: null } },
    });
    expect(
      toOpenAIError(Object.assign(new Error('secret internals'), { status: 503, expose: false })).status,
    ).toBe(500);
  });
});
