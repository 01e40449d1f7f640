import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../node/gateway-error.js';
import { translateCountTokensRequest, translateMessagesRequest } from './messages-request.js';

function refusal(body: unknown, translate: (body: unknown) => unknown = translateMessagesRequest) {
  try {
    translate(body);
  } catch (error) {
    if (!GatewayError.isInstance(error)) throw error;
    return { param: error.param, message: error.message, status: error.status };
  }
  throw new Error('expected the body to be refused');
}

const base = { model: 'default', max_tokens: 256 };

describe('translateMessagesRequest', () => {
  it('translates the system prompt, the settings and the end user', () => {
    const { chat, user, stopSequences } = translateMessagesRequest({
      ...base,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Hello' }],
      stop_sequences: ['END'],
      temperature: 0.5,
      top_p: 0.8,
      top_k: 40,
      metadata: { user_id: 'user-42' },
      stream: true,
    });
    expect(chat).toEqual({
      model: 'default',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hello' },
      ],
      stream: true,
      max_completion_tokens: 256,
      temperature: 0.5,
      top_p: 0.8,
      top_k: 40,
      stop: ['END'],
      user: 'user-42',
    });
    expect(user).toBe('user-42');
    expect(stopSequences).toEqual(['END']);
  });

  it('translates text and image blocks, keeping cache_control on the parts that carry it', () => {
    const { chat } = translateMessagesRequest({
      ...base,
      system: [
        { type: 'text', text: 'Long shared context.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Be brief.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect(chat.messages).toEqual([
      {
        role: 'system',
        content: [
          { type: 'text', text: 'Long shared context.', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Be brief.' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('translates a tool-use round trip: tools, tool_choice, tool_use and tool_result', () => {
    const { chat } = translateMessagesRequest({
      ...base,
      tools: [
        {
          name: 'get_weather',
          description: 'The weather in a city',
          input_schema: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
      tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'I should call the tool.', signature: 'sig' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'sunny, 21°C' }] },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {} }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'no data', is_error: true }],
        },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [
          {
            id: 'toolu_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny, 21°C' },
      { role: 'user', content: 'And tomorrow?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: no data' },
    ]);
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'The weather in a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ]);
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(chat.parallel_tool_calls).toBe(false);
  });

  it('maps each tool_choice and a thinking budget', () => {
    const tools = [{ name: 't', input_schema: { type: 'object' } }];
    const choice = (type: string) =>
      translateMessagesRequest({
        ...base,
        tools,
        tool_choice: { type },
        messages: [{ role: 'user', content: 'x' }],
      }).chat.tool_choice;
    expect([choice('auto'), choice('any'), choice('none')]).toEqual(['auto', 'required', 'none']);
    const thinking = translateMessagesRequest({
      ...base,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'x' }],
    }).chat;
    expect(thinking.reasoning).toEqual({ max_tokens: 1024 });
  });

  it('requires max_tokens, as Anthropic does, and names every field at fault', () => {
    const messages = [{ role: 'user', content: 'x' }];
    expect(refusal({ model: 'm', messages })).toEqual({
      status: 400,
      param: 'max_tokens',
      message: 'max_tokens: required: a positive integer (the Messages API requires it)',
    });
    expect(refusal({ ...base, messages, temperature: 1.5 }).param).toBe('temperature');
    expect(refusal({ ...base, messages, top_k: -1 }).param).toBe('top_k');
    expect(refusal({ ...base, messages, stop_sequences: 'END' }).param).toBe('stop_sequences');
    expect(refusal({ ...base, messages, metadata: { user_id: 7 } }).param).toBe('metadata.user_id');
    expect(refusal({ ...base, messages, metadata: { session: 'x' } }).param).toBe('metadata.session');
    expect(refusal({ ...base, messages, mcp_servers: [] })).toMatchObject({
      param: 'mcp_servers',
      message: 'mcp_servers: unknown parameter for the Messages API',
    });
    expect(refusal({ ...base, messages: [] }).param).toBe('messages');
    expect(refusal({ ...base, messages: [{ role: 'system', content: 'x' }] }).param).toBe('messages[0].role');
    expect(refusal({ ...base, messages: [{ role: 'user', content: [{ type: 'document' }] }] }).param).toBe(
      'messages[0].content[0].type',
    );
    expect(
      refusal({
        ...base,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/tiff', data: 'x' } }],
          },
        ],
      }).param,
    ).toBe('messages[0].content[0].source.media_type');
    expect(
      refusal({ ...base, messages, tools: [{ type: 'web_search_20250305', name: 'web_search' }] }),
    ).toMatchObject({
      param: 'tools[0].type',
      message: expect.stringContaining('no server tools'),
    });
    expect(refusal({ ...base, messages, tools: [{ name: 't' }] }).param).toBe('tools[0].input_schema');
    expect(refusal({ ...base, messages, tool_choice: { type: 'some' } }).param).toBe('tool_choice.type');
    expect(refusal({ ...base, model: '', messages }).param).toBe('model');
  });
});

describe('translateCountTokensRequest', () => {
  it('translates the conversation without max_tokens, and refuses answer settings', () => {
    expect(
      translateCountTokensRequest({
        model: 'default',
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).toEqual({
      model: 'default',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(
      refusal(
        { model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 5 },
        translateCountTokensRequest,
      ).param,
    ).toBe('max_tokens');
  });
});
