import { tool } from '@langchain/core/tools';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { switchyardMiddleware } from '../src/agent/index.js';
import { ChatSwitchyard, type SwitchyardResponseMetadata } from '../src/index.js';
import { CHEAP, PREMIUM, startRouter } from './support/start-router.js';

const getWeather = tool(async ({ city }) => `Sunny in ${city}`, {
  name: 'get_weather',
  description: 'The current weather in a city.',
  schema: z.object({ city: z.string() }),
});

describe('switchyardMiddleware for createAgent', () => {
  it('routes every model call of an agent, chosen per step, with tools round-tripping', async () => {
    const { router, mock } = await startRouter();
    const results: SwitchyardResponseMetadata[] = [];
    const agent = createAgent({
      model: new ChatSwitchyard({ router, model: 'default' }),
      tools: [getWeather],
      middleware: [
        switchyardMiddleware({
          router,
          // Tool results are summarised by the cheap-first cascade; the first step by `default`.
          route: (request) => (request.messages.at(-1)?.type === 'tool' ? 'smart' : 'default'),
          identity: () => ({ user: 'agent-user' }),
          onResult: (metadata) => results.push(metadata),
        }),
      ],
    });
    const { messages } = await agent.invoke({ messages: [{ role: 'user', content: 'Weather in Oslo?' }] });
    expect(messages.map((message) => message.type)).toEqual(['human', 'ai', 'tool', 'ai']);
    expect(messages[2]?.text).toBe('Sunny in example');
    expect(messages[3]?.text).toBe('The tool returned: Sunny in example');
    expect(results.map((result) => [result.route, result.model_name])).toEqual([
      ['default', PREMIUM],
      ['smart', CHEAP],
    ]);
    expect(messages[3]?.response_metadata).toMatchObject({ route: 'smart', model_name: CHEAP });
    // Both model calls sent the agent's tools upstream, and were booked under the agent's user.
    expect(mock.requests.map((request) => (request.body as { tools?: unknown[] }).tools?.length)).toEqual([
      1, 1,
    ]);
    expect(await router.ledger.query({ user: 'agent-user' })).toHaveLength(2);
  });

  it('falls back inside the agent when the first target fails', async () => {
    const { router, mock } = await startRouter();
    mock.script(PREMIUM, [{ kind: 'error', status: 502, times: 2 }]);
    const agent = createAgent({
      model: new ChatSwitchyard({ router, model: 'smart' }),
      tools: [getWeather],
      middleware: [switchyardMiddleware({ router, route: 'default' })],
    });
    const { messages } = await agent.invoke({ messages: [{ role: 'user', content: 'Weather in Oslo?' }] });
    expect(messages.at(-1)?.text).toBe('The tool returned: Sunny in example');
    expect(messages[1]?.response_metadata).toMatchObject({ model_name: CHEAP, fallback: true });
  });

  it('escalates a structured response of the agent when the cheap answer fails the schema', async () => {
    const { router, mock } = await startRouter();
    mock.setReply(CHEAP, '{"city": "Oslo"}');
    const agent = createAgent({
      model: new ChatSwitchyard({ router, model: 'default' }),
      tools: [],
      responseFormat: z.object({ city: z.string(), temperature: z.number() }),
      middleware: [switchyardMiddleware({ router, route: 'smart' })],
    });
    const result = await agent.invoke({ messages: [{ role: 'user', content: 'Weather in Oslo as JSON' }] });
    expect(result.structuredResponse).toEqual({ city: 'example', temperature: 1 });
    expect(result.messages.at(-1)?.response_metadata).toMatchObject({ model_name: PREMIUM, escalated: true });
    expect(mock.requests.map((request) => request.model)).toEqual([CHEAP, PREMIUM]);
  });

  it('runs tools, then answers a structured response, with both going through the router', async () => {
    const { router, mock } = await startRouter();
    const agent = createAgent({
      model: new ChatSwitchyard({ router, model: 'default' }),
      tools: [getWeather],
      responseFormat: z.object({ summary: z.string() }),
      middleware: [switchyardMiddleware({ router, route: 'default' })],
    });
    const result = await agent.invoke({
      messages: [{ role: 'user', content: 'Weather in Oslo, summarised' }],
    });
    expect(result.structuredResponse).toEqual({ summary: 'example' });
    expect(result.messages.map((message) => message.type)).toEqual(['human', 'ai', 'tool', 'ai']);
    // The tool-calling answer was not mistaken for JSON that failed the schema.
    expect(mock.requests.map((request) => request.model)).toEqual([PREMIUM, PREMIUM]);
    expect(mock.requests[0]?.body).toMatchObject({ response_format: { type: 'json_schema' }, tools: [{}] });
  });
});
