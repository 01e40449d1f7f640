import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { APIError, AuthenticationError, BadRequestError, PermissionDeniedError } from 'openai';
import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { expect, it } from 'vitest';
import { GATEWAY_KEYS, MODELS } from './suite-config.js';
import { type ErrorBody, openAIClient, type SuiteContext, send } from './suite-context.js';

const WEATHER_TOOL = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
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

/** The Vercel AI SDK's OpenAI provider at the gateway (its default model API is the Responses API). */
const vercelOpenAI = (context: SuiteContext) =>
  createOpenAI({ baseURL: context.gateway.url, apiKey: GATEWAY_KEYS.main, fetch: context.recorder.fetch });

/** `POST /v1/responses` with the openai SDK, the Vercel AI SDK and LangChain. */
export function defineResponsesTests(context: SuiteContext): void {
  const expectValidEvent = (event: unknown): void => {
    const { valid, errors } = context.oracle.validate('StreamEvents', event);
    expect(valid, `not a valid Responses event: ${errors}\n${JSON.stringify(event)}`).toBe(true);
  };

  it('answers responses.create() with a response, the trace in headers and the whole cost in usage', async () => {
    const { data, response } = await openAIClient(context)
      .responses.create({
        model: 'default',
        input: 'What is the capital of France?',
        instructions: 'Be brief.',
      })
      .withResponse();
    const { valid, errors } = context.oracle.validate('OpenResponsesResult', data);
    expect(valid, errors).toBe(true);
    expect(data).toMatchObject({
      object: 'response',
      status: 'completed',
      model: MODELS.premium,
      instructions: 'Be brief.',
    });
    expect(data.output_text).toBe(
      `Mock reply from ${MODELS.premium}: you said "What is the capital of France?".`,
    );
    expect(response.headers.get('x-switchyard-route')).toBe('default');
    expect(response.headers.get('x-switchyard-model')).toBe(MODELS.premium);
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    const usage = data.usage as NonNullable<typeof data.usage> & { cost?: number };
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    expect(usage.cost).toBeGreaterThan(0);
    expect(usage.cost).toBe(Number(response.headers.get('x-switchyard-cost')));
    // The upstream was asked in chat: the instructions first, as a system message.
    expect(context.mock.requests[0]?.body).toMatchObject({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    });
    const requestId = response.headers.get('x-switchyard-request-id') as string;
    await expect
      .poll(() => context.gateway.logs.find((line) => line.includes(requestId)))
      .toContain('"door":"responses"');
  });

  it('streams with responses.stream(): every event valid and numbered, the cost in response.completed', async () => {
    const events: ResponseStreamEvent[] = [];
    const stream = openAIClient(context).responses.stream({ model: 'default', input: 'Count to three.' });
    let text = '';
    stream.on('response.output_text.delta', (event) => {
      text += event.delta;
    });
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    for (const event of events) expectValidEvent(event);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
    expect(events[0]?.type).toBe('response.created');
    expect(events[1]?.type).toBe('response.in_progress');
    expect(events.at(-1)?.type).toBe('response.completed');
    expect(text).toBe(`Mock reply from ${MODELS.premium}: you said "Count to three.".`);
    expect(final.output_text).toBe(text);
    expect((final.usage as { cost?: number } | undefined)?.cost).toBeGreaterThan(0);
  });

  it('runs a function tool round trip through create({ stream: true }) and create()', async () => {
    const client = openAIClient(context);
    const input: ResponseInputItem[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const stream = await client.responses.create({
      model: 'default',
      input,
      tools: [WEATHER_TOOL],
      stream: true,
    });
    const types: string[] = [];
    let call: { call_id: string; name: string; arguments: string } | undefined;
    for await (const event of stream) {
      expectValidEvent(event);
      types.push(event.type);
      if (event.type === 'response.output_item.done' && event.item.type === 'function_call')
        call = event.item;
    }
    expect(types).toContain('response.function_call_arguments.delta');
    expect(types).toContain('response.function_call_arguments.done');
    expect(call?.name).toBe('get_weather');
    expect(JSON.parse(call?.arguments ?? '')).toEqual({ city: expect.any(String) });

    const answer = await client.responses.create({
      model: 'default',
      tools: [WEATHER_TOOL],
      input: [
        ...input,
        {
          type: 'function_call',
          call_id: call?.call_id as string,
          name: 'get_weather',
          arguments: call?.arguments as string,
        },
        { type: 'function_call_output', call_id: call?.call_id as string, output: 'sunny, 21 °C' },
      ],
    });
    expect(answer.output_text).toBe('The tool returned: sunny, 21 °C');
    expect(context.mock.requests[1]?.body).toMatchObject({
      messages: [
        { role: 'user' },
        { role: 'assistant', tool_calls: [{ id: call?.call_id, function: { name: 'get_weather' } }] },
        { role: 'tool', tool_call_id: call?.call_id, content: 'sunny, 21 °C' },
      ],
    });
  });

  it('answers text.format json_schema with JSON of that schema', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, population: { type: 'integer' } },
      required: ['city', 'population'],
      additionalProperties: false,
    };
    const answer = await openAIClient(context).responses.create({
      model: 'default',
      input: 'The largest city of France, as JSON.',
      text: { format: { type: 'json_schema', name: 'city', schema, strict: true } },
    });
    const parsed = JSON.parse(answer.output_text) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(['city', 'population']);
    expect(typeof parsed.city).toBe('string');
    expect(Number.isInteger(parsed.population)).toBe(true);
    expect(answer.text?.format).toMatchObject({ type: 'json_schema', name: 'city' });
  });

  it('runs validators and cascades on a Responses call: the rejected cheap answer escalates and is billed', async () => {
    context.mock.setReply(MODELS.cheap, 'Sure! The title is: Quarterly report');
    context.mock.setReply(MODELS.premium, '{"title":"Quarterly report"}');
    const { data, response } = await openAIClient(context)
      .responses.create({ model: 'smart', input: 'A JSON title for the report.' })
      .withResponse();
    expect(data.output_text).toBe('{"title":"Quarterly report"}');
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(response.headers.get('x-switchyard-model')).toBe(MODELS.premium);
    expect((data.usage as { cost?: number }).cost).toBe(Number(response.headers.get('x-switchyard-cost')));
  });

  it('falls back in a stream when the first target fails before its first event', async () => {
    context.mock.script(MODELS.premium, [{ kind: 'reset' }]);
    const { data: stream, response } = await openAIClient(context)
      .responses.create({ model: 'default', input: 'Stream it.', stream: true })
      .withResponse();
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    expect(text).toBe(`Mock reply from ${MODELS.cheap}: you said "Stream it.".`);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-provider')).toBe('alpha');
  });

  it('ends a stream that breaks after it began with response.failed and an error the SDK raises', async () => {
    context.mock.script(MODELS.premium, [{ kind: 'mid-stream-error', afterChunks: 2 }]);
    const stream = await openAIClient(context).responses.create({
      model: 'premium',
      input: 'Go on.',
      stream: true,
    });
    const seen: string[] = [];
    const failure = await rejectionOf(
      (async () => {
        for await (const event of stream) seen.push(event.type);
      })(),
    );
    expect(failure.message).toContain('stream interrupted after it began');
    expect(seen).toContain('response.output_text.delta');
    expect(seen.at(-1)).toBe('response.failed');
    expect(seen).not.toContain('response.completed');
  });

  it('400 for previous_response_id (nothing is stored), an unknown field and a hosted tool, naming each', async () => {
    const client = openAIClient(context);
    const stored = await rejectionOf(
      client.responses.create({ model: 'default', input: 'Again.', previous_response_id: 'resp_123' }),
    );
    expect(stored).toBeInstanceOf(BadRequestError);
    expect(stored.param).toBe('previous_response_id');
    expect(stored.message).toContain('Switchyard stores no responses');

    const unknown = await send(context, {
      path: '/responses',
      body: { model: 'default', input: 'x', temprature: 1 },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_parameter',
      param: 'temprature',
    });

    const hosted = await rejectionOf(
      client.responses.create({ model: 'default', input: 'x', tools: [{ type: 'web_search' }] }),
    );
    expect(hosted.status).toBe(400);
    expect(hosted.param).toBe('tools[0].type');
    expect(context.mock.requests).toHaveLength(0);
  });

  it('401 for a wrong key and 403 for a route the key may not use, in OpenAI shape', async () => {
    const wrong = await rejectionOf(
      openAIClient(context, 'sk-sy-not-a-key').responses.create({ model: 'default', input: 'x' }),
    );
    expect(wrong).toBeInstanceOf(AuthenticationError);
    expect(wrong.code).toBe('invalid_api_key');
    const narrow = await rejectionOf(
      openAIClient(context, GATEWAY_KEYS.narrow).responses.create({ model: 'default', input: 'x' }),
    );
    expect(narrow).toBeInstanceOf(PermissionDeniedError);
    expect(narrow.code).toBe('route_not_allowed');
  });

  it("answers the Vercel AI SDK's generateText and streamText through the Responses API", async () => {
    const openai = vercelOpenAI(context);
    const result = await generateText({
      model: openai('default'),
      system: 'Be brief.',
      prompt: 'Name a colour.',
      maxRetries: 0,
    });
    expect(result.text).toBe(`Mock reply from ${MODELS.premium}: you said "Name a colour.".`);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.response.modelId).toBe(MODELS.premium);
    expect(context.mock.requests.at(-1)?.body).toMatchObject({
      messages: [{ role: 'system' }, { role: 'user' }],
    });

    const streamed = streamText({ model: openai('thrifty'), prompt: 'Name a fruit.', maxRetries: 0 });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    expect(text).toBe(`Mock reply from ${MODELS.cheap}: you said "Name a fruit.".`);
    expect(await streamed.finishReason).toBe('stop');
    expect((await streamed.usage).outputTokens).toBeGreaterThan(0);
  });

  it('runs a tool round trip with the Vercel AI SDK, streamed and not', async () => {
    const openai = vercelOpenAI(context);
    const calls: string[] = [];
    const tools = {
      get_weather: tool({
        description: 'The current weather in a city',
        inputSchema: jsonSchema<{ city: string }>({
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
          additionalProperties: false,
        }),
        execute: async ({ city }) => {
          calls.push(city);
          return `sunny in ${city}`;
        },
      }),
    };
    const result = await generateText({
      model: openai('default'),
      prompt: 'What is the weather in Paris?',
      tools,
      stopWhen: stepCountIs(2),
      maxRetries: 0,
    });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.toolCalls.map((call) => call.toolName)).toEqual(['get_weather']);
    expect(calls).toHaveLength(1);
    expect(result.text).toBe(`The tool returned: sunny in ${calls[0]}`);

    const streamed = streamText({
      model: openai('default'),
      prompt: 'And in Rome?',
      tools,
      stopWhen: stepCountIs(2),
      maxRetries: 0,
    });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    expect(calls).toHaveLength(2);
    expect(text).toBe(`The tool returned: sunny in ${calls[1]}`);
    expect((await streamed.steps).map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
  });

  it("reports a stream that breaks mid-way as an error to the Vercel AI SDK's streamText", async () => {
    context.mock.script(MODELS.premium, [{ kind: 'mid-stream-error', afterChunks: 2 }]);
    const errors: unknown[] = [];
    const streamed = streamText({
      model: vercelOpenAI(context)('premium'),
      prompt: 'Go on.',
      maxRetries: 0,
      onError: ({ error }) => void errors.push(error),
    });
    const parts: string[] = [];
    for await (const part of streamed.fullStream) parts.push(part.type);
    expect(parts).toContain('text-delta');
    expect(parts).toContain('error');
    expect(await streamed.finishReason).toBe('error');
    expect(String((errors[0] as Error | undefined)?.message ?? errors[0])).toContain(
      'stream interrupted after it began',
    );
  });

  it("answers LangChain's ChatOpenAI with useResponsesApi, invoke and stream", async () => {
    const model = new ChatOpenAI({
      model: 'thrifty',
      apiKey: GATEWAY_KEYS.main,
      maxRetries: 0,
      useResponsesApi: true,
      configuration: { baseURL: context.gateway.url, fetch: context.recorder.fetch },
    });
    const message = await model.invoke('Name a colour.');
    expect(message.text).toBe(`Mock reply from ${MODELS.cheap}: you said "Name a colour.".`);
    expect(message.response_metadata.model_name).toBe(MODELS.cheap);
    expect(message.usage_metadata?.input_tokens).toBeGreaterThan(0);

    let streamed = '';
    for await (const chunk of await model.stream('Name a fruit.')) streamed += chunk.text;
    expect(streamed).toBe(`Mock reply from ${MODELS.cheap}: you said "Name a fruit.".`);
    expect(context.mock.requests.every((request) => request.model === MODELS.cheap)).toBe(true);
  });
}
