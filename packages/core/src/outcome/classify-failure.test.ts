import { describe, expect, it } from 'vitest';
import { classifyHttpFailure, classifyThrown, classifyWireError } from './classify-failure.js';

const source = { label: 'cheap (openrouter/x/y)', secrets: ['sk-or-v1-topsecret'], now: 1_700_000_000_000 };
const body = (status: number, message: string, metadata?: unknown) =>
  JSON.stringify({ error: { code: status, message, ...(metadata === undefined ? {} : { metadata }) } });

describe('classifyHttpFailure', () => {
  it.each([
    [400, 'Invalid parameter: temperature', 'invalid_request'],
    [
      400,
      "This endpoint's maximum context length is 8192 tokens. However, you requested about 9000 tokens",
      'context_length',
    ],
    [400, 'x/y is not a valid model ID', 'not_supported'],
    [401, 'No auth credentials found', 'auth'],
    [402, 'This request requires more credits, or fewer max_tokens.', 'payment_required'],
    [403, 'Input flagged by moderation', 'moderation'],
    [404, 'No endpoints found that support tool use.', 'not_supported'],
    [408, 'Timed out', 'timeout'],
    [429, 'Rate limit exceeded: free-models-per-day.', 'rate_limited'],
    [500, 'Internal error', 'upstream_unavailable'],
    [502, 'Provider returned error', 'upstream_unavailable'],
    [503, 'No available providers', 'upstream_unavailable'],
  ])('HTTP %i "%s" is %s', (status, message, code) => {
    const error = classifyHttpFailure({ status, headers: {}, bodyText: body(status, message), source });
    expect(error.code).toBe(code);
    expect(error.upstreamStatus).toBe(status);
    expect(error.message).toBe(`cheap (openrouter/x/y) failed with HTTP ${status}: ${message}`);
  });

  it('keeps moderation metadata and the wait a 429 asks for', () => {
    const moderation = classifyHttpFailure({
      status: 403,
      headers: {},
      bodyText: body(403, 'flagged', { reasons: ['violence'], flagged_input: 'x' }),
      source,
    });
    expect(moderation.metadata).toEqual({ reasons: ['violence'], flagged_input: 'x' });
    const limited = classifyHttpFailure({
      status: 429,
      headers: {},
      bodyText: body(429, 'Rate limit exceeded', {
        headers: { 'X-RateLimit-Reset': String(source.now + 2500) },
      }),
      source,
    });
    expect(limited.retryAfterMs).toBe(2500);
    expect(limited.headers['retry-after']).toBe('3');
  });

  it('removes secrets the upstream echoes back', () => {
    const error = classifyHttpFailure({
      status: 401,
      headers: {},
      bodyText: body(401, 'Key sk-or-v1-topsecret is invalid', { raw: 'Bearer sk-or-v1-topsecret' }),
      source,
    });
    expect(JSON.stringify({ message: error.message, metadata: error.metadata })).not.toContain('topsecret');
  });

  it('copes with a body that is not JSON', () => {
    const error = classifyHttpFailure({
      status: 502,
      headers: {},
      bodyText: '<html>Bad gateway</html>',
      source,
    });
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain('<html>Bad gateway</html>');
  });
});

describe('classifyWireError', () => {
  it('reads numeric and string codes of mid-stream errors', () => {
    const context = 'an error chunk in the stream';
    expect(
      classifyWireError({
        error: { code: 429, message: 'slow down' },
        status: 200,
        headers: {},
        source,
        context,
      }).code,
    ).toBe('rate_limited');
    expect(
      classifyWireError({
        error: { code: 'server_error', message: 'boom' },
        status: 200,
        headers: {},
        source,
        context,
      }).code,
    ).toBe('upstream_unavailable');
    expect(
      classifyWireError({
        error: { code: 'rate_limit_exceeded', message: '' },
        status: 200,
        headers: {},
        source,
        context,
      }).code,
    ).toBe('rate_limited');
    expect(
      classifyWireError({ error: { code: '502', message: 'x' }, status: 200, headers: {}, source, context })
        .message,
    ).toBe('cheap (openrouter/x/y) failed with an error chunk in the stream: x');
  });
});

describe('classifyThrown', () => {
  it('separates timeouts from network errors', () => {
    expect(
      classifyThrown(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), source).code,
    ).toBe('network');
    expect(
      classifyThrown(Object.assign(new Error('connect'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), source).code,
    ).toBe('timeout');
  });
});
