import type { SwitchyardConfig } from '@switchyard/core';
import { type MockChatMessage, type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { CHEAP_MODEL, demoConfig } from './demo-config.js';
import { SUMMARIZE_INSTRUCTION } from './summary-schema.js';

const textOf = (message: MockChatMessage | undefined): string =>
  typeof message?.content === 'string' ? message.content : '';

/**
 * The embedded default: the mock upstream in-process and the demo config against it. Summaries
 * are scripted so the cascade shows itself: the cheap model answers prose (not the schema), the
 * premium one answers JSON, so `POST /summarize` escalates.
 */
export async function startEmbeddedUpstream(): Promise<{ mock: MockUpstream; config: SwitchyardConfig }> {
  const mock = await startMockUpstream({
    seed: 7,
    reply: (request) => {
      const last = textOf(request.messages.at(-1));
      if (textOf(request.messages[0]) !== SUMMARIZE_INSTRUCTION) {
        return `Mock reply from ${request.model}: you said "${last}".`;
      }
      if (request.model === CHEAP_MODEL) return `Sure! In short: ${last.slice(0, 60)}`;
      const sentences = last
        .split(/(?<=[.!?])\s+/)
        .map((sentence) => sentence.trim())
        .filter((sentence) => sentence !== '');
      const title = last.split(/\s+/).slice(0, 6).join(' ');
      return JSON.stringify({ title, bullets: sentences.slice(0, 5) });
    },
  });
  return { mock, config: demoConfig(mock.url) };
}
