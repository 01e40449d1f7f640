import {
  AIMessage,
  AIMessageChunk,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { tool } from '@langchain/core/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChatSwitchyard, switchyardMetadata } from '../src/index.js';
import { CHEAP, PREMIUM, PROVIDER_KEY, startModel, startRouter, testConfig } from './support/start-router.js';

// The contract of LangChain's standard chat-model tests (@langchain/standard-tests is not
// published), run against a real router and the loopback mock upstream.

const getWeather = tool(async ({ city }) => `Sunny and 21 degrees in ${city}`, {
  name: 'get_weather',
  description: 'The current weather in a city.',
  schema: z.object({ city: z.string().describe('The city') }),
});

type LoggedMessage = { role: string; content: unknown; tool_calls?: unknown; tool_call_id?: string };
const sentMessages = (body: unknown): LoggedMessage[] => (body as { messages: LoggedMessage[] }).messages;

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

const concat = (chunks: AIMessageChunk[]): AIMessageChunk => chunks.reduce((sum, chunk) => sum.concat(chunk));

describe('ChatSwitchyard: the chat-model contract', () => {
  it('invoke answers an AIMessage with text, usage_metadata and the served model', async () => {
    const { model } = await startModel('default');
    const answer = await model.invoke('Hello there');
    expect(AIMessage.isInstance(answer)).toBe(true);
    expect(answer.text).toBe(`Mock reply from ${PREMIUM}: you said "Hello there".`);
    expect(answer.usage_metadata).toEqual({
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
      total_tokens: expect.any(Number),
      input_token_details: { cache_read: 0 },
      output_token_details: { reasoning: 0 },
    });
    const usage = answer.usage_metadata!;
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    expect(answer.response_metadata).toMatchObject({ model_name: PREMIUM, finish_reason: 'stop' });
    expect(switchyardMetadata(answer)).toMatchObject({ model_name: PREMIUM, route: 'default', attempts: 1 });
    expect(switchyardMetadata(new AIMessage('not routed'))).toBeUndefined();
  });

  it('stream yields AIMessageChunks whose text is the answer, usage on the last one', async () => {
    const { model, mock } = await startModel('default');
    mock.setReply(PREMIUM, 'One two three four.');
    const chunks = await collect(await model.stream('Count'));
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(AIMessageChunk.isInstance(chunk)).toBe(true);
    expect(chunks.map((chunk) => chunk.text).join('')).toBe('One two three four.');
    const last = chunks.at(-1)!;
    expect(last.usage_metadata).toMatchObject({ output_tokens: expect.any(Number) });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage_metadata === undefined)).toBe(true);
    const whole = concat(chunks);
    expect(whole.text).toBe('One two three four.');
    expect(whole.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(whole.usage_metadata?.total_tokens).toBe(
      (whole.usage_metadata?.input_tokens ?? 0) + (whole.usage_metadata?.output_tokens ?? 0),
    );
    expect(whole.response_metadata).toMatchObject({
      model_name: PREMIUM,
      finish_reason: 'stop',
      attempts: 1,
    });
    // The upstream was asked for its usage chunk.
    expect(mock.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('batch answers every input in order', async () => {
    const { model } = await startModel('default');
    const answers = await model.batch(['first', 'second', 'third']);
    expect(answers.map((answer) => answer.text)).toEqual(
      ['first', 'second', 'third'].map((text) => `Mock reply from ${PREMIUM}: you said "${text}".`),
    );
  });

  it('streamEvents v2: start, stream events whose text is the output, end', async () => {
    const { model, mock } = await startModel('default');
    mock.setReply(PREMIUM, 'Events arrive in order.');
    const events = await collect(model.streamEvents('Hi', { version: 'v2' }));
    const chatEvents = events.filter((event) => event.event.startsWith('on_chat_model_'));
    expect(chatEvents[0]?.event).toBe('on_chat_model_start');
    expect(chatEvents.at(-1)?.event).toBe('on_chat_model_end');
    const streamed = chatEvents.slice(1, -1);
    expect(streamed.length).toBeGreaterThan(1);
    expect(streamed.every((event) => event.event === 'on_chat_model_stream')).toBe(true);
    const text = streamed.map((event) => (event.data.chunk as AIMessageChunk).text).join('');
    const output = chatEvents.at(-1)?.data.output as AIMessageChunk;
    expect(text).toBe('Events arrive in order.');
    expect(output.text).toBe(text);
    expect(output.usage_metadata?.output_tokens).toBeGreaterThan(0);
  });

  it('sends a multi-turn conversation in order, system prompt first', async () => {
    const { model, mock } = await startModel('default');
    const history: BaseMessage[] = [
      new SystemMessage('You are terse.'),
      new HumanMessage('My name is Ada.'),
      new AIMessage('Hello Ada.'),
      new HumanMessage('What is my name?'),
    ];
    const answer = await model.invoke(history);
    expect(answer.text).toBe(`Mock reply from ${PREMIUM}: you said "What is my name?".`);
    expect(sentMessages(mock.requests[0]?.body)).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Hello Ada.' },
      { role: 'user', content: 'What is my name?' },
    ]);
  });

  it('sends back-to-back messages of the same role as they are', async () => {
    const { model, mock } = await startModel('default');
    const answer = await model.invoke([
      new HumanMessage('Part one.'),
      new HumanMessage('Part two.'),
      new AIMessage('Noted.'),
      new AIMessage('Anything else?'),
      new HumanMessage('No.'),
    ]);
    expect(answer.text).toBe(`Mock reply from ${PREMIUM}: you said "No.".`);
    expect(sentMessages(mock.requests[0]?.body).map((message) => message.role)).toEqual([
      'user',
      'user',
      'assistant',
      'assistant',
      'user',
    ]);
  });

  it('sends image blocks of a human message as image_url parts', async () => {
    const { model, mock } = await startModel('default');
    await model.invoke([
      new HumanMessage({
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', url: 'https://example.com/cat.png' },
          { type: 'image', data: 'aGVsbG8=', mimeType: 'image/jpeg' },
        ],
      }),
    ]);
    expect(sentMessages(mock.requests[0]?.body)[0]?.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
      { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,aGVsbG8=' } },
    ]);
  });

  it('bindTools: a tool call, then the ToolMessage back to the model', async () => {
    const { model, mock } = await startModel('default');
    const withTools = model.bindTools([getWeather]);
    const question = new HumanMessage('What is the weather in Oslo?');
    const call = await withTools.invoke([question]);
    expect(call.tool_calls).toEqual([
      {
        type: 'tool_call',
        id: expect.stringMatching(/^call_/),
        name: 'get_weather',
        args: { city: 'example' },
      },
    ]);
    expect(call.response_metadata).toMatchObject({ finish_reason: 'tool_calls' });
    expect(mock.requests[0]?.body).toMatchObject({
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'The current weather in a city.',
            parameters: { type: 'object', required: ['city'] },
          },
        },
      ],
    });

    const result = await getWeather.invoke(call.tool_calls![0]!);
    expect(ToolMessage.isInstance(result)).toBe(true);
    const answer = await withTools.invoke([question, call, result]);
    expect(answer.text).toBe('The tool returned: Sunny and 21 degrees in example');
    expect(answer.tool_calls).toEqual([]);
    const sent = sentMessages(mock.requests[1]?.body);
    expect(sent[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: call.tool_calls![0]!.id,
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"example"}' },
        },
      ],
    });
    expect(sent[2]).toEqual({
      role: 'tool',
      tool_call_id: call.tool_calls![0]!.id,
      content: 'Sunny and 21 degrees in example',
    });
  });

  it('streams a tool call whose pieces merge into tool_calls', async () => {
    const { model } = await startModel('default');
    const chunks = await collect(
      await model.bindTools([getWeather], { tool_choice: 'any' }).stream('Weather in Oslo?'),
    );
    const whole = concat(chunks);
    expect(whole.tool_calls).toEqual([
      {
        type: 'tool_call',
        id: expect.stringMatching(/^call_/),
        name: 'get_weather',
        args: { city: 'example' },
      },
    ]);
    expect(whole.usage_metadata?.output_tokens).toBeGreaterThan(0);
  });

  it('maps tool_choice: any is required, a name forces that tool', async () => {
    const { model, mock } = await startModel('default');
    await model.bindTools([getWeather], { tool_choice: 'any' }).invoke('Weather?');
    await model.bindTools([getWeather], { tool_choice: 'get_weather' }).invoke('Weather?');
    expect(mock.requests.map((request) => (request.body as { tool_choice: unknown }).tool_choice)).toEqual([
      'required',
      { type: 'function', function: { name: 'get_weather' } },
    ]);
  });

  it('withStructuredOutput(zod) answers the parsed object through response_format json_schema', async () => {
    const { model, mock } = await startModel('default');
    const schema = z.object({ title: z.string(), stars: z.number().int(), tags: z.array(z.string()) });
    const review = await model.withStructuredOutput(schema, { name: 'review' }).invoke('Review Dune.');
    expect(review).toEqual({ title: 'example', stars: 1, tags: [] });
    expect(mock.requests[0]?.body).toMatchObject({
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'review', schema: { type: 'object', required: ['title', 'stars', 'tags'] } },
      },
    });
  });

  it('withStructuredOutput by function calling, and with includeRaw', async () => {
    const { model, mock } = await startModel('default');
    const schema = z.object({ city: z.string(), days: z.number() });
    const { raw, parsed } = await model
      .withStructuredOutput(schema, { method: 'functionCalling', name: 'forecast', includeRaw: true })
      .invoke('Forecast for Oslo');
    expect(parsed).toEqual({ city: 'example', days: 1 });
    expect(AIMessage.isInstance(raw)).toBe(true);
    expect(raw.response_metadata).toMatchObject({ model_name: PREMIUM, attempts: 1 });
    expect(mock.requests[0]?.body).toMatchObject({
      tool_choice: { type: 'function', function: { name: 'forecast' } },
      tools: [{ type: 'function', function: { name: 'forecast' } }],
    });
  });

  it('withStructuredOutput in JSON mode', async () => {
    const { model, mock } = await startModel('default');
    mock.setReply(PREMIUM, '```json\n{"answer": "42"}\n```');
    const result = await model
      .withStructuredOutput(z.object({ answer: z.string() }), { method: 'jsonMode' })
      .invoke('Answer in JSON');
    expect(result).toEqual({ answer: '42' });
    expect(mock.requests[0]?.body).toMatchObject({ response_format: { type: 'json_object' } });
  });

  it('runs in a chain: prompt | model | structured output', async () => {
    const { model } = await startModel('default');
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'Extract the person.'],
      ['human', '{text}'],
    ]);
    const chain = prompt.pipe(model.withStructuredOutput(z.object({ name: z.string(), age: z.number() })));
    expect(await chain.invoke({ text: 'Ada is 36.' })).toEqual({ name: 'example', age: 1 });
  });

  it('aborts invoke: the call rejects and the upstream request is cancelled', async () => {
    const { model, mock } = await startModel('default');
    mock.script(PREMIUM, [{ kind: 'stall' }]);
    const controller = new AbortController();
    const answer = model.invoke('Wait for it', { signal: controller.signal });
    await mock.waitForRequests(1);
    controller.abort();
    await expect(answer).rejects.toThrow(/abort/i);
    await mock.waitForSettled();
    expect(mock.requests[0]).toMatchObject({ model: PREMIUM, aborted: true });
    expect(mock.requests).toHaveLength(1);
  });

  it('aborts a stream mid-way: the iteration rejects and the upstream request is cancelled', async () => {
    const { model, mock } = await startModel('default');
    mock.script(PREMIUM, [{ kind: 'stall', afterChunks: 2 }]);
    const controller = new AbortController();
    const stream = await model.stream('Wait for it', { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    controller.abort();
    await expect(
      (async () => {
        for (;;) if ((await iterator.next()).done) return;
      })(),
    ).rejects.toThrow(/abort/i);
    await mock.waitForSettled();
    expect(mock.requests[0]).toMatchObject({ model: PREMIUM, aborted: true });
  });

  it('reports LangSmith params and tags its runs with them', async () => {
    const { router } = await startRouter();
    const model = new ChatSwitchyard({ router, model: 'smart', temperature: 0.2, maxTokens: 300 });
    const metadata: Record<string, unknown>[] = [];
    await model.invoke('Hi', {
      stop: ['END'],
      callbacks: [
        {
          handleChatModelStart: (...args: unknown[]) => {
            metadata.push(args[6] as Record<string, unknown>);
          },
        },
      ],
    });
    expect(metadata[0]).toMatchObject({
      ls_provider: 'switchyard',
      ls_model_name: 'smart',
      ls_model_type: 'chat',
      ls_temperature: 0.2,
      ls_max_tokens: 300,
      ls_stop: ['END'],
    });
  });

  it('sends sampling fields, stop sequences and modelKwargs upstream', async () => {
    const { router, mock } = await startRouter();
    const model = new ChatSwitchyard({
      router,
      model: 'default',
      temperature: 0.3,
      maxTokens: 200,
      topP: 0.9,
      stop: ['\n\n'],
      modelKwargs: { provider: { sort: 'price' } },
    });
    await model.invoke('Hi', { seed: 7 });
    expect(mock.requests[0]?.body).toMatchObject({
      model: PREMIUM,
      temperature: 0.3,
      max_tokens: 200,
      top_p: 0.9,
      stop: ['\n\n'],
      seed: 7,
      provider: { sort: 'price' },
    });
  });

  it('keeps provider and gateway keys out of its serialisation (lc_secrets)', async () => {
    const { mock } = await startRouter();
    const config = {
      ...testConfig(mock.url),
      keys: [{ name: 'team-a', key: 'sy-gateway-secret-42' }],
    };
    config.providers.mock = { ...config.providers.mock!, headers: { 'x-api-key': 'header-secret-7' } };
    const model = new ChatSwitchyard({ config, model: 'default' });
    try {
      expect(model.lc_secrets).toEqual({
        'config.providers.mock.apiKey': 'SWITCHYARD_MOCK_API_KEY',
        'config.providers.mock.headers.x-api-key': 'SWITCHYARD_MOCK_HEADER_X_API_KEY',
        'config.keys.0.key': 'SWITCHYARD_GATEWAY_KEY_TEAM_A',
      });
      const serialized = JSON.stringify(model.toJSON());
      expect(serialized).not.toContain(PROVIDER_KEY);
      expect(serialized).not.toContain('sy-gateway-secret-42');
      expect(serialized).not.toContain('header-secret-7');
      expect(serialized).toContain('SWITCHYARD_MOCK_API_KEY');
      expect(model.toJSON()).toMatchObject({
        type: 'constructor',
        id: expect.arrayContaining(['ChatSwitchyard']),
      });
      // The model built its own router from the config, and answers.
      expect((await model.invoke('Hi')).response_metadata).toMatchObject({ model_name: PREMIUM });
    } finally {
      await model.close();
    }
    // A provider name with a dot cannot be named as a secret path: the config is left out instead.
    const dotted = new ChatSwitchyard({
      config: { providers: { 'eu.mock': { baseURL: mock.url, apiKey: PROVIDER_KEY } } },
      model: 'eu.mock/openai/gpt-4o-mini',
    });
    expect(JSON.stringify(dotted.toJSON())).not.toContain(PROVIDER_KEY);
    expect(dotted.toJSON()).toMatchObject({ kwargs: { model: 'eu.mock/openai/gpt-4o-mini' } });
    await dotted.close();
  });

  it('needs a router or a config, and a model', async () => {
    const { router } = await startRouter();
    expect(() => new ChatSwitchyard({ model: 'default' })).toThrow(/router.*config/);
    expect(() => new ChatSwitchyard({ router, model: '' })).toThrow(/model/);
  });

  it('answers from the cheap model on the cascade when it is good enough', async () => {
    const { router } = await startRouter();
    const answer = await new ChatSwitchyard({ router, model: 'smart' }).invoke('Hi');
    expect(answer.response_metadata).toMatchObject({ model_name: CHEAP, route: 'smart', escalated: false });
  });
});
