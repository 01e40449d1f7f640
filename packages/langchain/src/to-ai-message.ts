import { AIMessage, defaultToolCallParser } from '@langchain/core/messages';
import type { ChatResponse, RoutingTrace } from '@switchyard/core';
import { routingMetadata } from './routing-metadata.js';
import { toUsageMetadata } from './usage-metadata.js';

/**
 * The `AIMessage` of a routed answer: text, tool calls (arguments that do not parse become
 * `invalid_tool_calls`), the refusal, `usage_metadata`, and `response_metadata` with the finish
 * reason and the routing metadata of the trace.
 */
export function toAIMessage(response: ChatResponse, trace: RoutingTrace): AIMessage {
  const choice = response.choices[0];
  const message = choice?.message;
  const [toolCalls, invalidToolCalls] = defaultToolCallParser(message?.tool_calls ?? []);
  return new AIMessage({
    id: response.id,
    content: message?.content ?? '',
    tool_calls: toolCalls.map((call) => ({ ...call, type: 'tool_call' as const })),
    invalid_tool_calls: invalidToolCalls.map((call) => ({ ...call, type: 'invalid_tool_call' as const })),
    additional_kwargs: message?.refusal ? { refusal: message.refusal } : {},
    usage_metadata: response.usage === undefined ? undefined : toUsageMetadata(response.usage),
    response_metadata: {
      ...routingMetadata(trace),
      finish_reason: choice?.finish_reason,
      system_fingerprint: response.system_fingerprint ?? undefined,
    },
  });
}
