import { HumanMessage, type ToolMessage } from '@langchain/core/messages';
import type { Router } from '@switchyard/core';
import { ChatSwitchyard, type SwitchyardResponseMetadata } from '@switchyard/langchain';
import { requireMetadata } from './format-trace.js';
import { getWeather } from './weather-tool.js';

/** Both model calls of a tool round trip. */
export interface ToolRoundTrip {
  call: { name: string; args: Record<string, unknown> };
  toolResult: string;
  answer: string;
  metadata: SwitchyardResponseMetadata[];
}

/**
 * `bindTools` on the fallback route: the model calls the tool, the tool's `ToolMessage` goes back,
 * the model answers. Tool calls travel in OpenAI's format, whichever target serves.
 */
export async function runToolCalling(router: Router, question: string): Promise<ToolRoundTrip> {
  const model = new ChatSwitchyard({ router, model: 'default' }).bindTools([getWeather]);
  const human = new HumanMessage(question);
  const first = await model.invoke([human]);
  const call = first.tool_calls?.[0];
  if (call === undefined) throw new Error(`the model did not call the tool: ${first.text}`);
  const result = (await getWeather.invoke(call)) as ToolMessage;
  const second = await model.invoke([human, first, result]);
  return {
    call: { name: call.name, args: call.args },
    toolResult: result.text,
    answer: second.text,
    metadata: [first, second].map(requireMetadata),
  };
}
