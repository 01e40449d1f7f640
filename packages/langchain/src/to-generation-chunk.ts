import type { ToolCallChunk } from '@langchain/core/messages';
import { AIMessageChunk } from '@langchain/core/messages';
import { ChatGenerationChunk } from '@langchain/core/outputs';
import type { ChatChunk, RoutingTrace } from '@switchyard/core';
import { routingMetadata } from './routing-metadata.js';
import { type OpenAIUsage, toUsageMetadata } from './usage-metadata.js';

/**
 * The LangChain chunk of one streamed OpenAI chunk: its text, its tool-call pieces
 * (`tool_call_chunks`, merged by LangChain into `tool_calls`) and its finish reason. Usage is not
 * read here: it rides on the closing chunk with the routing metadata.
 */
export function toGenerationChunk(chunk: ChatChunk): ChatGenerationChunk {
  const choice = chunk.choices[0];
  const delta = choice?.delta;
  const content = delta?.content ?? '';
  const toolCallChunks: ToolCallChunk[] = (delta?.tool_calls ?? []).map((call) => ({
    type: 'tool_call_chunk',
    index: call.index,
    ...(call.id ? { id: call.id } : {}),
    ...(call.function?.name ? { name: call.function.name } : {}),
    args: call.function?.arguments ?? '',
  }));
  const finish = choice?.finish_reason ? { finish_reason: choice.finish_reason } : undefined;
  return new ChatGenerationChunk({
    text: content,
    message: new AIMessageChunk({
      id: chunk.id,
      content,
      tool_call_chunks: toolCallChunks,
      additional_kwargs: delta?.refusal ? { refusal: delta.refusal } : {},
      response_metadata: finish ?? {},
    }),
    ...(finish === undefined ? {} : { generationInfo: finish }),
  });
}

/**
 * The closing chunk of a stream, once the trace is complete: no text, the answer's
 * `usage_metadata`, and the routing metadata (served model, route, attempts, fallback, cost).
 */
export function closingChunk(options: {
  id: string | undefined;
  usage: OpenAIUsage | undefined;
  trace: RoutingTrace;
}): ChatGenerationChunk {
  return new ChatGenerationChunk({
    text: '',
    message: new AIMessageChunk({
      ...(options.id === undefined ? {} : { id: options.id }),
      content: '',
      usage_metadata: options.usage === undefined ? undefined : toUsageMetadata(options.usage),
      response_metadata: { ...routingMetadata(options.trace) },
    }),
  });
}
