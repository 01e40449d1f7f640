import type { MockUpstream } from '@switchyard/mock-upstream';
import type { SpecOracle } from '@switchyard/spec-oracle';
import OpenAI from 'openai';
import { expect } from 'vitest';
import type { RecordingFetch } from './recording-fetch.js';
import { GATEWAY_KEYS } from './suite-config.js';

/** A running gateway app, as `start` returns it. */
export interface GatewayUnderTest {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:PORT/v1`. */
  url: string;
  /** Stops the app (and anything it started). */
  close(): Promise<void>;
  /** Every log line the app wrote so far. */
  logs: string[];
}

/** What the suite's tests share; filled in `beforeAll`. */
export interface SuiteContext {
  gateway: GatewayUnderTest;
  mock: MockUpstream;
  oracle: SpecOracle;
  recorder: RecordingFetch;
}

/** The official OpenAI SDK pointed at the gateway, without retries, recording what it receives. */
export function openAIClient(context: SuiteContext, apiKey: string = GATEWAY_KEYS.main): OpenAI {
  return new OpenAI({ baseURL: context.gateway.url, apiKey, maxRetries: 0, fetch: context.recorder.fetch });
}

/** A raw request to the gateway (for bodies no SDK sends), recorded like the SDK's. */
export function send(
  context: SuiteContext,
  request: {
    path: string;
    /** Text or bytes as they are, anything else as JSON. */
    body?: string | Uint8Array | object;
    key?: string | null;
    method?: string;
    /** More headers (`origin`, `content-encoding`). */
    headers?: Record<string, string>;
  },
): Promise<Response> {
  const key = request.key === undefined ? GATEWAY_KEYS.main : request.key;
  const { body } = request;
  return context.recorder.fetch(`${context.gateway.url}${request.path}`, {
    method: request.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...request.headers,
    },
    ...(body === undefined
      ? {}
      : { body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body) }),
  });
}

/** OpenAI's error body. */
export interface ErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

/** A one-message chat request. */
export function ask(model: string, content = 'Say hello.', extra: Record<string, unknown> = {}) {
  return { model, messages: [{ role: 'user' as const, content }], ...extra };
}

/** Asserts that a value matches a schema of OpenRouter's official OpenAPI document. */
export function expectValid(
  context: SuiteContext,
  schema: 'ChatResult' | 'ChatStreamChunk',
  value: unknown,
): void {
  const { valid, errors } = context.oracle.validate(schema, value);
  expect(valid, `not a valid ${schema}: ${String(errors)}`).toBe(true);
}
