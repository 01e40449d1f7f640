import type { Router } from '@switchyard/core';
import { ChatSwitchyard, type SwitchyardResponseMetadata } from '@switchyard/langchain';
import { switchyardMiddleware } from '@switchyard/langchain/agent';
import { createAgent } from 'langchain';
import { getWeather } from './weather-tool.js';

/** The agent's answer and the routing of each of its model calls. */
export interface AgentRun {
  answer: string;
  steps: SwitchyardResponseMetadata[];
}

/**
 * A LangChain v1 agent whose model calls all go through Switchyard: the middleware picks a route
 * per step (the fallback route to decide on tools, the cheap-first cascade to word the answer
 * from tool results) and reports each call's routing and cost.
 */
export async function runWeatherAgent(router: Router, question: string): Promise<AgentRun> {
  const steps: SwitchyardResponseMetadata[] = [];
  const agent = createAgent({
    model: new ChatSwitchyard({ router, model: 'default' }),
    tools: [getWeather],
    systemPrompt: 'You answer weather questions with the get_weather tool.',
    middleware: [
      switchyardMiddleware({
        router,
        route: (request) => (request.messages.at(-1)?.type === 'tool' ? 'smart' : 'default'),
        identity: () => ({ user: 'weather-agent', tags: ['demo'] }),
        onResult: (metadata) => steps.push(metadata),
      }),
    ],
  });
  const { messages } = await agent.invoke({ messages: [{ role: 'user', content: question }] });
  return { answer: messages.at(-1)?.text ?? '', steps };
}
