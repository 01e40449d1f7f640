import { createSpecOracle } from '@switchyard/spec-oracle';
import OpenAI from 'openai';
import type { MockUpstream } from '../src/index.js';

/** Validator for OpenRouter's official OpenAPI schemas. */
export const oracle = createSpecOracle();

/** Bearer key the tests send; it must never reach the request log. */
export const API_KEY = 'sk-or-v1-test-0123456789abcdef';

/** An official OpenAI SDK client pointed at the mock, without retries. */
export function createClient(mock: MockUpstream, options: { timeout?: number } = {}): OpenAI {
  return new OpenAI({ baseURL: mock.url, apiKey: API_KEY, maxRetries: 0, ...options });
}

/** Options of {@link postChat}. */
export interface PostChatOptions {
  /** Extra or replacement headers; `authorization: undefined` removes the key. */
  headers?: Record<string, string | undefined>;
  /** Raw body text instead of JSON.stringify(body). */
  rawBody?: string;
  /** Abort signal. */
  signal?: AbortSignal;
}

/** POSTs to /chat/completions with plain fetch (what the SDK would hide stays visible). */
export function postChat(
  mock: MockUpstream,
  body: unknown,
  options: PostChatOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${API_KEY}`,
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return fetch(`${mock.url}/chat/completions`, {
    method: 'POST',
    headers,
    body: options.rawBody ?? JSON.stringify(body),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** A parsed SSE body. */
export interface ParsedSse {
  /** Comment lines (without the leading colon), in order. */
  comments: string[];
  /** `data:` payloads in order, `[DONE]` included. */
  data: string[];
  /** The JSON payloads (everything but `[DONE]`). */
  chunks: Array<Record<string, unknown>>;
  /** Whether every event was followed by a blank line. */
  wellFramed: boolean;
}

/** Splits raw SSE text into comments and data events. */
export function parseSse(text: string): ParsedSse {
  const comments: string[] = [];
  const data: string[] = [];
  const blocks = text.split('\n\n');
  const wellFramed = blocks[blocks.length - 1] === '';
  for (const block of blocks) {
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
    }
  }
  const chunks = data.filter((payload) => payload !== '[DONE]').map((payload) => JSON.parse(payload));
  return { comments, data, chunks, wellFramed };
}

/** A short user conversation. */
export function userMessage(content: string): Array<{ role: 'user'; content: string }> {
  return [{ role: 'user', content }];
}

/** Error metadata fields the tests read. */
export interface WireErrorMetadata {
  headers: Record<string, string>;
  provider_name: string;
  raw: string;
  [key: string]: unknown;
}

/** A JSON body from the mock, loosely typed for assertions (success or error). */
export interface WireBody {
  id: string;
  model: string;
  provider: string;
  choices: Array<{
    finish_reason: string | null;
    message: { content: string | null; refusal: string | null };
  }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; cost: number };
  error: { code: number | string; message: string; metadata: WireErrorMetadata };
  user_id?: string;
  data: Array<{
    id: string;
    context_length: number;
    pricing: Record<string, string>;
    supported_parameters: string[];
    architecture: { input_modalities: string[] };
  }>;
}

/** Parses a response body as JSON. */
export async function jsonOf(response: Response | Promise<Response>): Promise<WireBody> {
  return (await (await response).json()) as WireBody;
}
