import { describe, expect, it } from 'vitest';
import { GatewayError } from '../node/gateway-error.js';
import type { RoutingTrace } from './routing-trace.js';
import { traceLogRecord } from './trace-log-record.js';

const trace = (input: Omit<Partial<RoutingTrace>, 'attempts'> & { attempts: number }): RoutingTrace =>
  ({
    id: 'req-1',
    requestedModel: 'smart',
    route: 'smart',
    served: undefined,
    fallback: false,
    escalated: false,
    caller: { key: 'team', user: undefined, tags: [] },
    costUsd: '0',
    ...input,
    attempts: Array.from({ length: input.attempts }),
  }) as unknown as RoutingTrace;

describe('traceLogRecord', () => {
  const line = { method: 'POST', path: '/summarize', status: 200, started: performance.now() };

  it('describes the latest call and adds up the attempts and the cost of every call', () => {
    const first = trace({ id: 'req-1', attempts: 2, costUsd: '0.0001' });
    const second = trace({
      id: 'req-2',
      route: undefined,
      requestedModel: 'cheap',
      attempts: 1,
      costUsd: '0.00002',
      escalated: true,
      served: {
        target: 'cheap',
        provider: 'mock',
        model: 'm',
        returnedModel: 'm-1',
        upstreamProvider: undefined,
      },
    });
    expect(traceLogRecord({ ...line, traces: [first, second] })).toEqual({
      method: 'POST',
      path: '/summarize',
      status: 200,
      stream: false,
      key: 'team',
      requestId: 'req-2',
      route: 'cheap',
      model: 'm-1',
      provider: 'mock',
      attempts: 3,
      fallback: true,
      costUsd: '0.00012',
      latencyMs: expect.any(Number),
      error: undefined,
    });
  });

  it('logs a request refused before routing with nothing spent, and the code it failed with', () => {
    const refused = { ...line, status: 401, key: undefined };
    expect(
      traceLogRecord({ ...refused, error: new GatewayError({ code: 'missing_api_key', message: 'x' }) }),
    ).toMatchObject({
      key: undefined,
      requestId: undefined,
      attempts: 0,
      costUsd: '0',
      error: 'missing_api_key',
    });
    expect(traceLogRecord({ ...refused, error: new Error('boom') }).error).toBe('internal');
    expect(traceLogRecord({ ...refused, error: 'http_error' }).error).toBe('http_error');
    expect(
      traceLogRecord({ ...line, traces: trace({ attempts: 1, costUsd: '0.5' }), key: 'named' }),
    ).toMatchObject({ key: 'named', attempts: 1, costUsd: '0.5' });
  });
});
