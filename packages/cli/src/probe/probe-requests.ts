import type { ChatRequest } from '@switchyard/core';

type ChatMessage = ChatRequest['messages'][number];

/** The tool the probe offers: one string argument, easy for any model that calls tools. */
export const PROBE_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_time',
    description: 'The current time in a time zone.',
    parameters: {
      type: 'object',
      properties: { zone: { type: 'string', description: 'An IANA time zone, e.g. UTC' } },
      required: ['zone'],
      additionalProperties: false,
    },
  },
};

/** What the probe's tool "returns" in the round trip. */
export const PROBE_TOOL_RESULT = '{"zone":"UTC","time":"12:00"}';

/** The JSON schema the probe asks for: two required fields, nothing else. */
export const PROBE_SCHEMA = {
  type: 'object',
  properties: { answer: { type: 'string' }, count: { type: 'integer' } },
  required: ['answer', 'count'],
  additionalProperties: false,
};

/**
 * Completion bounds of the probe's requests: small, so the worst case reserved against the cost
 * cap stays small, yet room for a reasoning model to answer.
 */
export const PROBE_MAX_TOKENS = { plain: 64, tools: 128, json: 128, context: 16 } as const;

const user = (content: string): ChatMessage => ({ role: 'user', content });

/** A one-word answer, non-streamed or streamed. */
export function plainRequest(model: string): ChatRequest {
  return { model, max_tokens: PROBE_MAX_TOKENS.plain, messages: [user('Reply with the single word: pong')] };
}

/** The first half of the tool round trip: a question the tool answers. */
export function toolCallRequest(model: string): ChatRequest {
  return {
    model,
    max_tokens: PROBE_MAX_TOKENS.tools,
    tools: [PROBE_TOOL],
    tool_choice: 'auto',
    messages: [user('What time is it in UTC? Call the get_time tool to find out.')],
  };
}

/** The second half: the tool's result sent back after the assistant's call. */
export function toolResultRequest(model: string, call: { id: string; arguments: string }): ChatRequest {
  return {
    model,
    max_tokens: PROBE_MAX_TOKENS.tools,
    tools: [PROBE_TOOL],
    messages: [
      user('What time is it in UTC? Call the get_time tool to find out.'),
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: call.id, type: 'function', function: { name: 'get_time', arguments: call.arguments } },
        ],
      },
      { role: 'tool', tool_call_id: call.id, content: PROBE_TOOL_RESULT },
    ],
  };
}

/** An answer that must be JSON of {@link PROBE_SCHEMA}. */
export function jsonRequest(model: string): ChatRequest {
  return {
    model,
    max_tokens: PROBE_MAX_TOKENS.json,
    response_format: {
      type: 'json_schema',
      json_schema: { name: 'probe_answer', strict: true, schema: PROBE_SCHEMA },
    },
    messages: [
      user('Answer in JSON: the capital of France as "answer", and the number of letters in it as "count".'),
    ],
  };
}

/** A prompt of `words` words (about one token each), then a one-word question. */
export function contextRequest(model: string, words: number): ChatRequest {
  const filler = 'lorem '.repeat(Math.max(0, words)).trimEnd();
  return {
    model,
    max_tokens: PROBE_MAX_TOKENS.context,
    messages: [user(`${filler}\n\nIgnore the text above. Reply with the single word: pong`)],
  };
}

/** Why a parsed answer does not fit {@link PROBE_SCHEMA}, or undefined when it does. */
export function schemaMismatch(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the JSON is not an object';
  const record = value as Record<string, unknown>;
  if (typeof record.answer !== 'string') return '"answer" is not a string';
  if (typeof record.count !== 'number' || !Number.isInteger(record.count)) return '"count" is not an integer';
  const extra = Object.keys(record).filter((key) => key !== 'answer' && key !== 'count');
  if (extra.length > 0) return `unexpected properties: ${extra.join(', ')}`;
  return undefined;
}
