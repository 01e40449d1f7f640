import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../src/index.js';
import { createClient, jsonOf, oracle, parseSse, postChat, userMessage } from './support.js';

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const MODEL = 'openai/gpt-4o-mini';

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string' },
          days: { type: 'integer' },
          metric: { type: 'boolean' },
          unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
          optional: { type: 'string' },
        },
        required: ['city', 'days', 'metric', 'unit'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'get_time',
      parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] },
    },
  },
];

describe('tool calls', () => {
  it('non-stream: calls the first tool with arguments built from its schema', async () => {
    const completion = await createClient(mock).chat.completions.create({
      model: MODEL,
      messages: userMessage('Weather in Lisbon?'),
      tools: TOOLS,
    });
    oracle.assertValid('ChatResult', completion);
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    expect(call).toMatchObject({ type: 'function', id: expect.stringMatching(/^call_/) });
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({
      city: 'example',
      days: 1,
      metric: true,
      unit: 'celsius',
    });
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('calls the tool named by tool_choice', async () => {
    const completion = await createClient(mock).chat.completions.create({
      model: MODEL,
      messages: userMessage('Time?'),
      tools: TOOLS,
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_time');
    expect(JSON.parse(call.function.arguments)).toEqual({ zone: 'example' });
  });

  it('answers text when tool_choice is "none"', async () => {
    const completion = await createClient(mock).chat.completions.create({
      model: MODEL,
      messages: userMessage('Weather?'),
      tools: TOOLS,
      tool_choice: 'none',
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
  });

  it('after a tool message, answers with text that includes the tool result', async () => {
    const completion = await createClient(mock).chat.completions.create({
      model: MODEL,
      tools: TOOLS,
      messages: [
        { role: 'user', content: 'Weather in Lisbon?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '21°C and sunny' },
      ],
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.content).toContain('21°C and sunny');
  });

  it('stream: the SDK reassembles id and name from the first delta and the arguments from pieces', async () => {
    const stream = createClient(mock).chat.completions.stream({
      model: MODEL,
      messages: userMessage('Weather in Lisbon?'),
      tools: TOOLS,
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    stream.on('chunk', (chunk) => chunks.push(chunk));
    const final = await stream.finalChatCompletion();
    for (const chunk of chunks) oracle.assertValid('ChatStreamChunk', chunk);
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.function.name).toBe('get_weather');
    expect(JSON.parse(call?.function.arguments ?? '')).toEqual({
      city: 'example',
      days: 1,
      metric: true,
      unit: 'celsius',
    });
    const argumentPieces = chunks.filter(
      (chunk) => chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments,
    );
    expect(argumentPieces.length).toBeGreaterThan(1);
    expect(chunks[0]?.choices[0]?.delta.tool_calls?.[0]).toMatchObject({
      index: 0,
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
  });

  it('plays scripted tool calls, several of them, in a stream', async () => {
    mock.script(MODEL, [
      {
        kind: 'success',
        toolCalls: [
          { name: 'a', arguments: '{"x":1}' },
          { name: 'b', arguments: '{"y":2}' },
        ],
      },
    ]);
    const sse = parseSse(
      await (await postChat(mock, { model: MODEL, messages: userMessage('x'), stream: true })).text(),
    );
    const indexes = sse.chunks.flatMap((chunk) =>
      (
        chunk.choices as Array<{
          delta: { tool_calls?: Array<{ index: number; function?: { name?: string } }> };
        }>
      )
        .flatMap((choice) => choice.delta.tool_calls ?? [])
        .filter((call) => call.function?.name !== undefined)
        .map((call) => `${call.index}:${call.function?.name}`),
    );
    expect(indexes).toEqual(['0:a', '1:b']);
  });
});

describe('structured output', () => {
  it('json_schema: an object with the required properties filled by type', async () => {
    const completion = await createClient(mock).chat.completions.create({
      model: MODEL,
      messages: userMessage('Describe a person'),
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'person',
          strict: true,
          schema: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              age: { type: 'number' },
              member: { type: 'boolean' },
              tags: { type: 'array', items: { type: 'string' } },
              address: {
                type: 'object',
                properties: { city: { type: 'string' } },
                required: ['city'],
                additionalProperties: false,
              },
              nickname: { type: ['string', 'null'] },
              extra: { type: 'string' },
            },
            required: ['name', 'age', 'member', 'tags', 'address', 'nickname'],
            additionalProperties: false,
          },
        },
      },
    });
    const content = completion.choices[0]?.message.content ?? '';
    expect(JSON.parse(content)).toEqual({
      name: 'example',
      age: 1,
      member: true,
      tags: [],
      address: { city: 'example' },
      nickname: 'example',
    });
  });

  it('json_schema with $defs references', async () => {
    const response = await postChat(mock, {
      model: MODEL,
      messages: userMessage('x'),
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'wrapper',
          schema: {
            type: 'object',
            properties: { item: { $ref: '#/$defs/Item' } },
            required: ['item'],
            $defs: { Item: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] } },
          },
        },
      },
    });
    const body = await jsonOf(response);
    expect(JSON.parse(body.choices[0]?.message.content ?? '')).toEqual({ item: { id: 1 } });
  });

  it('json_object: valid JSON', async () => {
    const completion = await createClient(mock).chat.completions.create({
      model: MODEL,
      messages: userMessage('Give me JSON'),
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({
      reply: `Mock reply from ${MODEL}: you said "Give me JSON".`,
    });
  });

  it('lets a reply function pass a request on to tool calls and response formats', async () => {
    // A demo reply that only speaks when asked nothing in particular.
    mock.setReply(MODEL, (request) =>
      request.tools === undefined && request.response_format === undefined ? 'Scripted words.' : undefined,
    );
    const client = createClient(mock);
    const plain = await client.chat.completions.create({ model: MODEL, messages: userMessage('Hi') });
    expect(plain.choices[0]?.message.content).toBe('Scripted words.');
    const tool = await client.chat.completions.create({
      model: MODEL,
      messages: userMessage('Hi'),
      tools: TOOLS,
    });
    expect(tool.choices[0]?.finish_reason).toBe('tool_calls');
    expect(tool.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'get_weather' } });
    const json = await client.chat.completions.create({
      model: MODEL,
      messages: userMessage('Hi'),
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'answer',
          schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
        },
      },
    });
    expect(JSON.parse(json.choices[0]?.message.content ?? '')).toEqual({ ok: true });
    // With neither, the next source: the default reply.
    mock.setReply(MODEL, () => undefined);
    const fallback = await client.chat.completions.create({ model: MODEL, messages: userMessage('Hi') });
    expect(fallback.choices[0]?.message.content).toBe(`Mock reply from ${MODEL}: you said "Hi".`);
  });
});

describe('model quirks', () => {
  const SCHEMA = {
    type: 'json_schema' as const,
    json_schema: {
      name: 'answer',
      schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
    },
  };

  it('tools: ignore answers in words; jsonSchema: ignore answers a schema with prose', async () => {
    mock.setQuirks(MODEL, { tools: 'ignore', jsonSchema: 'ignore' });
    const client = createClient(mock);
    const tool = await client.chat.completions.create({
      model: MODEL,
      messages: userMessage('Hi'),
      tools: TOOLS,
    });
    oracle.assertValid('ChatResult', tool);
    expect(tool.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: { content: 'I cannot call get_weather; here is my answer in words instead.' },
    });
    expect(tool.choices[0]?.message.tool_calls ?? []).toEqual([]);
    const json = await client.chat.completions.create({
      model: MODEL,
      messages: userMessage('Hi'),
      response_format: SCHEMA,
    });
    expect(() => JSON.parse(json.choices[0]?.message.content ?? '')).toThrow();
    // Other models are untouched, and reset() clears the quirks.
    const other = await client.chat.completions.create({
      model: 'openai/gpt-4o',
      messages: userMessage('Hi'),
      tools: TOOLS,
    });
    expect(other.choices[0]?.finish_reason).toBe('tool_calls');
    mock.reset();
    const after = await client.chat.completions.create({
      model: MODEL,
      messages: userMessage('Hi'),
      tools: TOOLS,
    });
    expect(after.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('tools: malformed-arguments calls the tool with arguments that are not JSON, streamed too', async () => {
    const quirky = await startMockUpstream({ quirks: { [MODEL]: { tools: 'malformed-arguments' } } });
    try {
      const response = await postChat(quirky, {
        model: MODEL,
        messages: userMessage('Hi'),
        tools: TOOLS,
        stream: true,
      });
      const { chunks } = parseSse(await response.text());
      const argumentsText = chunks
        .flatMap(
          (chunk) =>
            (
              chunk as {
                choices?: Array<{ delta?: { tool_calls?: Array<{ function?: { arguments?: string } }> } }>;
              }
            ).choices ?? [],
        )
        .flatMap((choice) => choice.delta?.tool_calls ?? [])
        .map((call) => call.function?.arguments ?? '')
        .join('');
      expect(argumentsText.startsWith('{"city":"example"')).toBe(true);
      expect(() => JSON.parse(argumentsText)).toThrow();
    } finally {
      await quirky.close();
    }
  });
});
