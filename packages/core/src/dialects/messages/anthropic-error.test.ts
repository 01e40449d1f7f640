import { createSpecOracle } from '@switchyard/spec-oracle';
import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../errors/routing-error.js';
import { GatewayError } from '../../node/gateway-error.js';
import { newTrace } from '../../trace/new-trace.js';
import { anthropicError, anthropicErrorType } from './anthropic-error.js';

const oracle = createSpecOracle();

describe('anthropicError', () => {
  it("renders a gateway error in Anthropic's shape with its status and the unrouted trace headers", () => {
    const answer = anthropicError(new GatewayError({ code: 'invalid_api_key', message: 'invalid API key' }), {
      unrouted: true,
      model: 'default',
    });
    oracle.assertValid('AnthropicMessagesErrorResponse', answer.body);
    expect(answer).toEqual({
      status: 401,
      headers: expect.objectContaining({ 'x-switchyard-route': 'default', 'x-switchyard-cost': '0' }),
      body: {
        type: 'error',
        error: { type: 'authentication_error', message: 'invalid API key' },
        request_id: null,
      },
    });
  });

  it('keeps a routing error’s status, Retry-After and trace, the request id in the body and a header', () => {
    const trace = newTrace({ requestedModel: 'default', startedAt: 0, caller: {} });
    const answer = anthropicError(
      new RoutingError({
        code: 'rate_limited',
        message: 'rate limit of key "a" reached',
        trace,
        retryAfterMs: 2000,
      }),
    );
    oracle.assertValid('AnthropicMessagesErrorResponse', answer.body);
    expect(answer.status).toBe(429);
    expect(answer.headers).toMatchObject({
      'retry-after': '2',
      'request-id': trace.id,
      'x-switchyard-request-id': trace.id,
    });
    expect(answer.body).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'rate limit of key "a" reached' },
      request_id: trace.id,
    });
  });

  it('hides the message of an unexpected error', () => {
    const answer = anthropicError(new Error('secret sk-or-v1-123 leaked'));
    expect(answer.status).toBe(500);
    expect(answer.body.error).toEqual({ type: 'api_error', message: 'internal error' });
  });

  it("gives each status Anthropic's error type", () => {
    expect(
      [400, 401, 402, 403, 404, 405, 413, 415, 429, 500, 502, 503, 504].map((status) =>
        anthropicErrorType(status),
      ),
    ).toEqual([
      'invalid_request_error',
      'authentication_error',
      'billing_error',
      'permission_error',
      'not_found_error',
      'invalid_request_error',
      'request_too_large',
      'invalid_request_error',
      'rate_limit_error',
      'api_error',
      'api_error',
      'overloaded_error',
      'timeout_error',
    ]);
  });
});
