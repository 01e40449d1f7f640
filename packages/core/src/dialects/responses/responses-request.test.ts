import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../node/gateway-error.js';
import { translateResponsesRequest } from './responses-request.js';

/** The 400 a body is refused with: its param and message. */
function refusal(body: unknown): { param: string | undefined; message: string; status: number } {
  try {
    translateResponsesRequest(body);
  } catch (error) {
    if (!GatewayError.isInstance(error)) throw error;
    return { param: error.param, message: error.message, status: error.status };
  }
  throw new Error('expected the body to be refused');
}

const weather = {
  type: 'function',
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: true,
};

describe('translateResponsesRequest', () => {
  it('makes a string input one user message, after the instructions as a system message', () => {
    const { chat, echo } = translateResponsesRequest({
      model: 'default',
      input: 'Hello',
      instructions: 'Be brief.',
      max_output_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      user: 'user-7',
    });
    expect(chat).toEqual({
      model: 'default',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      max_completion_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      user: 'user-7',
    });
    expect(echo).toMatchObject({
      instructions: 'Be brief.',
      maxOutputTokens: 50,
      temperature: 0.2,
      topP: 0.9,
      toolChoice: 'auto',
      tools: [],
      text: { format: { type: 'text' } },
    });
  });

  it('translates message items with text and image parts, developer messages and assistant history', () => {
    const { chat } = translateResponsesRequest({
      model: 'default',
      input: [
        { role: 'developer', content: 'Answer in French.' },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
          ],
        },
        {
          type: 'message',
          role: 'assistant',
          id: 'msg_1',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Un chat.', annotations: [] }],
        },
        { role: 'user', content: 'Sure?' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Answer in French.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
        ],
      },
      { role: 'assistant', content: 'Un chat.' },
      { role: 'user', content: 'Sure?' },
    ]);
  });

  it('turns function calls into one assistant turn of tool calls, and their outputs into tool messages', () => {
    const { chat } = translateResponsesRequest({
      model: 'default',
      input: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'call_a',
          name: 'get_weather',
          arguments: '{"city":"Paris"}',
        },
        { type: 'function_call', call_id: 'call_b', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_a', output: 'sunny' },
        { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: 'rain' }] },
      ],
      tools: [weather],
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: false,
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_a',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'sunny' },
      { role: 'tool', tool_call_id: 'call_b', content: 'rain' },
    ]);
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'The weather in a city',
          parameters: weather.parameters,
          strict: true,
        },
      },
    ]);
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(chat.parallel_tool_calls).toBe(false);
  });

  it('sends text.format as response_format and repeats it in the echo', () => {
    const schema = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] };
    const { chat, echo } = translateResponsesRequest({
      model: 'smart',
      input: 'Title?',
      text: { format: { type: 'json_schema', name: 'title', schema, strict: true }, verbosity: 'low' },
    });
    expect(chat.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'title', schema, strict: true },
    });
    expect(echo.text).toEqual({ format: { type: 'json_schema', name: 'title', schema, strict: true } });
    expect(
      translateResponsesRequest({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } }).chat
        .response_format,
    ).toEqual({
      type: 'json_object',
    });
    expect(
      translateResponsesRequest({ model: 'm', input: 'x', text: { format: { type: 'text' } } }).chat,
    ).not.toHaveProperty('response_format');
  });

  it('accepts the fields that do not change the answer, and sends none of them upstream', () => {
    const { chat } = translateResponsesRequest({
      model: 'default',
      input: 'Hi',
      store: false,
      include: ['reasoning.encrypted_content'],
      truncation: 'disabled',
      service_tier: 'auto',
      reasoning: { effort: 'low' },
      stream: true,
      stream_options: { include_obfuscation: false },
      metadata: { team: 'search' },
      previous_response_id: null,
      safety_identifier: 'user-9',
    });
    expect(chat).toEqual({
      model: 'default',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      user: 'user-9',
    });
  });

  it('refuses previous_response_id and conversations: nothing is stored', () => {
    expect(refusal({ model: 'm', input: 'x', previous_response_id: 'resp_1' })).toEqual({
      status: 400,
      param: 'previous_response_id',
      message: expect.stringContaining('Switchyard stores no responses'),
    });
    expect(refusal({ model: 'm', input: 'x', conversation: 'conv_1' }).param).toBe('conversation');
    expect(refusal({ model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] })).toMatchObject({
      param: 'input[0]',
      message: expect.stringContaining('store to false'),
    });
    expect(refusal({ model: 'm', input: 'x', background: true }).param).toBe('background');
  });

  it('names the field at fault', () => {
    expect(refusal({ model: 'm', input: 'x', temprature: 1 })).toMatchObject({
      param: 'temprature',
      message: 'temprature: unknown parameter for the Responses API',
    });
    expect(refusal({ input: 'x' }).param).toBe('model');
    expect(refusal({ model: 'm' }).param).toBe('input');
    expect(refusal({ model: 'm', input: [] }).param).toBe('input');
    expect(refusal({ model: 'm', input: 'x', temperature: 3 }).param).toBe('temperature');
    expect(refusal({ model: 'm', input: 'x', top_p: -1 }).param).toBe('top_p');
    expect(refusal({ model: 'm', input: 'x', max_output_tokens: 0 }).param).toBe('max_output_tokens');
    expect(refusal({ model: 'm', input: 'x', tools: [{ type: 'web_search' }] })).toMatchObject({
      param: 'tools[0].type',
      message: expect.stringContaining('only "function" tools'),
    });
    expect(refusal({ model: 'm', input: 'x', tool_choice: 'sometimes' }).param).toBe('tool_choice');
    expect(refusal({ model: 'm', input: 'x', text: { format: { type: 'yaml' } } }).param).toBe(
      'text.format.type',
    );
    expect(
      refusal({ model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'x' } } }).param,
    ).toBe('text.format.schema');
    expect(refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_audio' }] }] }).param).toBe(
      'input[0].content[0].type',
    );
    expect(
      refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }] }),
    ).toMatchObject({
      param: 'input[0].content[0].image_url',
      message: expect.stringContaining('no file store'),
    });
    expect(refusal({ model: 'm', input: [{ role: 'robot', content: 'x' }] }).param).toBe('input[0].role');
    expect(
      refusal({ model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }).param,
    ).toBe('input[0].call_id');
    expect(refusal({ model: 'm', input: [{ type: 'web_search_call' }] }).param).toBe('input[0].type');
    expect(refusal({ model: 'm', input: 'x', metadata: { n: 1 } }).param).toBe('metadata.n');
    expect(refusal([1, 2]).status).toBe(400);
  });
});
