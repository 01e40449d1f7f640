import Anthropic, {
  APIError,
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
} from '@anthropic-ai/sdk';
import type { MessageParam, RawMessageStreamEvent, Tool } from '@anthropic-ai/sdk/resources/messages';
import { expect, it } from 'vitest';
import { GATEWAY_KEYS, MODELS } from './suite-config.js';
import type { SuiteContext } from './suite-context.js';

const WEATHER_TOOL: Tool = {
  name: 'get_weather',
  description: 'The current weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const rejectionOf = async (promise: Promise<unknown>): Promise<APIError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
};

/** Anthropic's error body as the SDK keeps it on `APIError.error`. */
interface AnthropicErrorBody {
  type: string;
  error: { type: string; message: string };
  request_id: string | null;
}

/** `POST /v1/messages` and `/v1/messages/count_tokens` with Anthropic's official SDK. */
export function defineMessagesTests(context: SuiteContext): void {
  /** Anthropic's SDK at the gateway: it sends `x-api-key` (or Bearer, given `authToken`). */
  const anthropic = (key: { apiKey?: string; authToken?: string } = { apiKey: GATEWAY_KEYS.main }) =>
    new Anthropic({
      ...key,
      // The SDK adds `/v1/messages` to its base URL.
      baseURL: context.gateway.url.replace(/\/v1$/, ''),
      maxRetries: 0,
      fetch: context.recorder.fetch,
      defaultHeaders: { 'anthropic-beta': 'prompt-caching-2024-07-31' },
    });

  const expectValid = (schema: string, value: unknown): void => {
    const { valid, errors } = context.oracle.validate(schema, value);
    expect(valid, `not a valid ${schema}: ${errors}\n${JSON.stringify(value)}`).toBe(true);
  };

  it('answers messages.create() with a system prompt, the trace in headers and the whole cost in usage', async () => {
    const { data, response } = await anthropic()
      .messages.create({
        model: 'default',
        max_tokens: 256,
        system: 'You are terse.',
        messages: [{ role: 'user', content: 'What is the capital of France?' }],
        metadata: { user_id: 'user-42' },
      })
      .withResponse();
    expectValid('MessagesResult', data);
    expect(data).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: MODELS.premium,
      stop_reason: 'end_turn',
    });
    expect(data.content).toEqual([
      {
        type: 'text',
        text: `Mock reply from ${MODELS.premium}: you said "What is the capital of France?".`,
        citations: null,
      },
    ]);
    expect(response.headers.get('x-switchyard-route')).toBe('default');
    expect(response.headers.get('x-switchyard-model')).toBe(MODELS.premium);
    expect(response.headers.get('request-id')).toBe(response.headers.get('x-switchyard-request-id'));
    const usage = data.usage as typeof data.usage & { cost?: number };
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(usage.cost).toBeGreaterThan(0);
    expect(usage.cost).toBe(Number(response.headers.get('x-switchyard-cost')));
    expect(context.mock.requests[0]?.body).toMatchObject({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
      max_completion_tokens: 256,
      user: 'user-42',
    });
    const requestId = response.headers.get('x-switchyard-request-id') as string;
    await expect
      .poll(() => context.gateway.logs.find((line) => line.includes(requestId)))
      .toContain('"door":"messages"');
  });

  it('streams with messages.stream(): every event valid, the text and the final message with its cost', async () => {
    const events: RawMessageStreamEvent[] = [];
    const stream = anthropic().messages.stream({
      model: 'default',
      max_tokens: 256,
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [{ role: 'user', content: 'Count to three.' }],
    });
    stream.on('streamEvent', (event) => void events.push(event));
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    for (const event of events) expectValid('MessagesStreamEvents', event);
    expect(events.map((event) => event.type).slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(events.at(-1)?.type).toBe('message_stop');
    expect(text).toBe(`Mock reply from ${MODELS.premium}: you said "Count to three.".`);
    expect(final.content).toEqual([{ type: 'text', text, citations: null }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    const delta = events.find((event) => event.type === 'message_delta');
    expect((delta?.usage as { cost?: number } | undefined)?.cost).toBeGreaterThan(0);
  });

  it('runs a tool-use round trip, created and streamed', async () => {
    const client = anthropic();
    const messages: MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await client.messages.create({
      model: 'default',
      max_tokens: 256,
      tools: [WEATHER_TOOL],
      messages,
    });
    expectValid('MessagesResult', first);
    expect(first.stop_reason).toBe('tool_use');
    const use = first.content.find((block) => block.type === 'tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: expect.any(String) } });

    const second = await client.messages.create({
      model: 'default',
      max_tokens: 256,
      tools: [WEATHER_TOOL],
      messages: [
        ...messages,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: use?.type === 'tool_use' ? use.id : '',
              content: 'sunny, 21 °C',
            },
          ],
        },
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content).toEqual([
      { type: 'text', text: 'The tool returned: sunny, 21 °C', citations: null },
    ]);

    const streamed = await client.messages
      .stream({
        model: 'default',
        max_tokens: 256,
        tools: [WEATHER_TOOL],
        tool_choice: { type: 'any' },
        messages,
      })
      .finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamed.content).toEqual([
      {
        type: 'tool_use',
        id: expect.any(String),
        name: 'get_weather',
        input: { city: expect.any(String) },
        caller: { type: 'direct' },
      },
    ]);
    expect(context.mock.requests.at(-1)?.body).toMatchObject({ tool_choice: 'required' });
  });

  it('takes the key as Bearer too, and accepts anthropic-version and anthropic-beta', async () => {
    const answer = await anthropic({ authToken: GATEWAY_KEYS.main }).messages.create({
      model: 'cheap',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(answer.model).toBe(MODELS.cheap);
    const headers = context.mock.requests[0]?.headers ?? {};
    // Neither the caller's key nor Anthropic's headers go upstream.
    expect(Object.keys(headers)).not.toContain('anthropic-version');
    expect(Object.keys(headers)).not.toContain('x-api-key');
  });

  it('falls back in a stream when the first target fails before its first event', async () => {
    context.mock.script(MODELS.premium, [{ kind: 'error', status: 503 }]);
    const { data: stream, response } = await anthropic()
      .messages.create({
        model: 'default',
        max_tokens: 128,
        stream: true,
        messages: [{ role: 'user', content: 'Stream it.' }],
      })
      .withResponse();
    let text = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    expect(text).toBe(`Mock reply from ${MODELS.cheap}: you said "Stream it.".`);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
  });

  it('ends a stream that breaks after it began with an error event the SDK raises', async () => {
    context.mock.script(MODELS.premium, [{ kind: 'mid-stream-error', afterChunks: 2 }]);
    const stream = anthropic().messages.stream({
      model: 'premium',
      max_tokens: 128,
      messages: [{ role: 'user', content: 'Go on.' }],
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const failure = await rejectionOf(stream.finalMessage());
    expect(text).not.toBe('');
    expect(failure.type).toBe('api_error');
    expect((failure.error as AnthropicErrorBody).error.message).toContain(
      'stream interrupted after it began',
    );
  });

  it("answers errors in Anthropic's shape: a bad key, a route the key may not use, an unknown model", async () => {
    const wrong = await rejectionOf(
      anthropic({ apiKey: 'sk-sy-not-a-key' }).messages.create({
        model: 'default',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(wrong).toBeInstanceOf(AuthenticationError);
    expect(wrong.status).toBe(401);
    expectValid('AnthropicMessagesErrorResponse', wrong.error);
    expect(wrong.error).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid API key' },
      request_id: null,
    });

    const narrow = await rejectionOf(
      anthropic({ apiKey: GATEWAY_KEYS.narrow }).messages.create({
        model: 'default',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(narrow).toBeInstanceOf(PermissionDeniedError);
    expect((narrow.error as AnthropicErrorBody).error.type).toBe('permission_error');

    const unknown = await rejectionOf(
      anthropic().messages.create({
        model: 'no-such-route',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown.error as AnthropicErrorBody).error).toMatchObject({ type: 'not_found_error' });
    expect((unknown.error as AnthropicErrorBody).request_id).toBe(unknown.requestID);
    expect((unknown.error as AnthropicErrorBody).error.message).toContain('"no-such-route"');
  });

  it("400 without max_tokens, naming it, in Anthropic's shape", async () => {
    const response = await context.recorder.fetch(`${context.gateway.url}/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': GATEWAY_KEYS.main,
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as AnthropicErrorBody;
    expectValid('AnthropicMessagesErrorResponse', body);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('max_tokens');
    expect(context.mock.requests).toHaveLength(0);
  });

  it("402 in Anthropic's shape once the key has spent its budget", async () => {
    const client = anthropic({ apiKey: GATEWAY_KEYS.poor });
    const ask = () =>
      client.messages.create({ model: 'cheap', max_tokens: 16, messages: [{ role: 'user', content: 'x' }] });
    // One expensive answer spends the $0.01 budget (unless another test of the run already did).
    context.mock.script(MODELS.cheap, [
      { kind: 'success', usage: { prompt_tokens: 200_000, completion_tokens: 10 } },
    ]);
    await ask().catch((error: unknown) => expect(error).toMatchObject({ status: 402 }));
    const failure = await rejectionOf(ask());
    expect(failure.status).toBe(402);
    expectValid('AnthropicMessagesErrorResponse', failure.error);
    expect((failure.error as AnthropicErrorBody).error).toMatchObject({ type: 'billing_error' });
    expect(failure.message).toContain('poor');
  });

  it('counts tokens as the upstream then bills the same conversation', async () => {
    const client = anthropic();
    const request = {
      model: 'cheap',
      system: 'You are a careful assistant.',
      messages: [{ role: 'user' as const, content: 'How many tokens is this sentence, more or less?' }],
    };
    const counted = await client.messages.countTokens(request);
    expect(counted.input_tokens).toBeGreaterThan(10);
    const answer = await client.messages.create({ ...request, max_tokens: 32 });
    expect(counted.input_tokens).toBe(answer.usage.input_tokens);
    const longer = await client.messages.countTokens({
      ...request,
      messages: [{ role: 'user', content: `${request.messages[0]?.content} And a second sentence.` }],
    });
    expect(longer.input_tokens).toBeGreaterThan(counted.input_tokens);
    // Counting calls no upstream.
    expect(context.mock.requests).toHaveLength(1);
  });
}
