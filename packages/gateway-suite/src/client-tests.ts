import { ChatOpenAI } from '@langchain/openai';
import { NotFoundError } from 'openai';
import { expect, it } from 'vitest';
import { GATEWAY_KEYS, MODELS } from './suite-config.js';
import { ask, type ErrorBody, expectValid, openAIClient, type SuiteContext, send } from './suite-context.js';

const expectLogged = async (context: SuiteContext, requestId: string | null): Promise<void> => {
  expect(requestId).toMatch(/\S/);
  await expect.poll(() => context.gateway.logs.some((line) => line.includes(requestId as string))).toBe(true);
};

/** The official clients get correct answers that validate against OpenRouter's schemas. */
export function defineClientTests(context: SuiteContext): void {
  it('answers the openai SDK (non-stream) with a ChatResult, the trace in headers and one log line', async () => {
    const { data, response } = await openAIClient(context)
      .chat.completions.create(ask('default', 'What is the capital of France?'))
      .withResponse();

    expect(response.status).toBe(200);
    expectValid(context, 'ChatResult', data);
    expect(data.choices[0]?.message.content).toBe(
      `Mock reply from ${MODELS.premium}: you said "What is the capital of France?".`,
    );
    expect(data.model).toBe(MODELS.premium);
    expect(response.headers.get('x-switchyard-route')).toBe('default');
    expect(response.headers.get('x-switchyard-model')).toBe(MODELS.premium);
    expect(response.headers.get('x-switchyard-provider')).toBe('beta');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(response.headers.get('x-switchyard-fallback')).toBe('false');
    const cost = (data.usage as { cost?: number } | undefined)?.cost;
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBe(Number(response.headers.get('x-switchyard-cost')));
    await expectLogged(context, response.headers.get('x-switchyard-request-id'));
  });

  it('streams to the openai SDK: every chunk is a ChatStreamChunk, the usage chunk carries the cost', async () => {
    const { data: stream, response } = await openAIClient(context)
      .chat.completions.create({
        ...ask('default', 'Count to three.'),
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();

    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-switchyard-model')).toBe(MODELS.premium);
    let text = '';
    let cost: number | undefined;
    let finish: string | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      expectValid(context, 'ChatStreamChunk', chunk);
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      cost = (chunk.usage as { cost?: number } | null | undefined)?.cost ?? cost;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toBe(`Mock reply from ${MODELS.premium}: you said "Count to three.".`);
    expect(finish).toBe('stop');
    expect(cost).toBeGreaterThan(0);
    await expectLogged(context, response.headers.get('x-switchyard-request-id'));
  });

  it('lists the routes and aliases a key may use at GET /v1/models', async () => {
    const all = await openAIClient(context).models.list();
    expect(all.data.map((model) => model.id).sort()).toEqual([
      'cheap',
      'default',
      'embed',
      'embed-large',
      'embed-small',
      'faq',
      'fast',
      'hybrid',
      MODELS.fast,
      'or-fast',
      'or-premium',
      'pinned',
      'premium',
      'private',
      'smart',
      'thrifty',
      'tiered',
      'zdr',
    ]);
    const narrow = await openAIClient(context, GATEWAY_KEYS.narrow).models.list();
    expect(narrow.data.map((model) => model.id)).toEqual(['cheap']);
  });

  it('answers models.retrieve() for a route and an alias with a slash, as listed', async () => {
    const client = openAIClient(context);
    const listed = (await client.models.list()).data;
    const route = await client.models.retrieve('default');
    expect(route).toEqual(listed.find((model) => model.id === 'default'));
    expect(route).toMatchObject({
      id: 'default',
      object: 'model',
      owned_by: 'switchyard',
      switchyard: { kind: 'route', strategy: 'fallback', targets: ['premium', 'cheap'] },
    });
    // The SDK sends the id percent-encoded (`/models/openai%2Fgpt-4o-mini`); curl sends it as is.
    const alias = await client.models.retrieve(MODELS.fast);
    expect(alias).toMatchObject({
      id: MODELS.fast,
      object: 'model',
      switchyard: { kind: 'model', provider: 'beta', model: MODELS.fast },
    });
    const plain = await send(context, { path: `/models/${MODELS.fast}`, method: 'GET' });
    expect(plain.status).toBe(200);
    expect(await plain.json()).toMatchObject({ id: MODELS.fast, object: 'model' });
  });

  it('answers models.retrieve() with a 404 for an unknown id and for one the key may not use', async () => {
    const unknown = await openAIClient(context)
      .models.retrieve('no-such-model')
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown).toMatchObject({ status: 404, code: 'not_found', type: 'not_found_error' });
    expect((unknown as NotFoundError).message).toContain('`no-such-model` does not exist');
    // `narrow` may only use `cheap`: `default` is answered like an id that does not exist.
    const hidden = await send(context, { path: '/models/default', method: 'GET', key: GATEWAY_KEYS.narrow });
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as ErrorBody).error).toEqual({
      message: 'The model `default` does not exist or you do not have access to it.',
      type: 'not_found_error',
      code: 'not_found',
      param: 'model',
    });
    const allowed = await openAIClient(context, GATEWAY_KEYS.narrow).models.retrieve('cheap');
    expect(allowed.id).toBe('cheap');
  });

  it("answers LangChain's ChatOpenAI, invoke and stream", async () => {
    const model = new ChatOpenAI({
      model: 'thrifty',
      apiKey: GATEWAY_KEYS.main,
      maxRetries: 0,
      configuration: { baseURL: context.gateway.url, fetch: context.recorder.fetch },
    });

    const message = await model.invoke('Name a colour.');
    // `cheapest` picks the cheapest target for this request: the llama model.
    expect(message.content).toBe(`Mock reply from ${MODELS.cheap}: you said "Name a colour.".`);
    expect(message.response_metadata.model_name).toBe(MODELS.cheap);

    let streamed = '';
    for await (const chunk of await model.stream('Name a fruit.')) streamed += String(chunk.content);
    expect(streamed).toBe(`Mock reply from ${MODELS.cheap}: you said "Name a fruit.".`);
  });
}
