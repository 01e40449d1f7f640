import type { ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';
import type { ChatChunk, ChatResponse } from '../types/chat.js';

/**
 * Folds streamed chunks into the completion they add up to (first choice): text, refusal and tool
 * calls concatenated, the last finish reason, usage and model kept. Used to validate a stream and
 * to price it.
 */
export function assembleCompletion(chunks: readonly ChatChunk[]): ChatResponse {
  let content = '';
  let refusal: string | null = null;
  let finishReason: string | null = null;
  let usage: ChatResponse['usage'];
  let first: ChatChunk | undefined;
  let provider: string | undefined;
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const chunk of chunks) {
    first ??= chunk;
    provider ??= chunk.provider;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (choice === undefined) continue;
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string') content += delta.content;
    if (typeof delta.refusal === 'string') refusal = (refusal ?? '') + delta.refusal;
    for (const call of delta.tool_calls ?? []) {
      let existing = toolCalls[call.index];
      if (existing === undefined) {
        existing = { id: call.id ?? '', type: 'function', function: { name: '', arguments: '' } };
        toolCalls[call.index] = existing;
      }
      if (call.id) existing.id = call.id;
      if (call.function?.name) existing.function.name += call.function.name;
      if (call.function?.arguments) existing.function.arguments += call.function.arguments;
    }
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
  const calls = toolCalls.filter((call) => call !== undefined);
  return {
    id: first?.id ?? '',
    object: 'chat.completion',
    created: first?.created ?? 0,
    model: first?.model ?? '',
    ...(provider === undefined ? {} : { provider }),
    choices: [
      {
        index: 0,
        finish_reason: (finishReason ?? 'stop') as ChatResponse['choices'][number]['finish_reason'],
        logprobs: null,
        message: {
          role: 'assistant',
          content: content === '' && calls.length > 0 ? null : content,
          refusal,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
      },
    ],
    ...(usage === undefined ? {} : { usage }),
  };
}
