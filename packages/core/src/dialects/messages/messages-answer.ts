import { AttemptError } from '../../errors/attempt-error.js';
import type { UsageReport } from '../../trace/routing-trace.js';
import type { ChatResponse } from '../../types/chat.js';
import type {
  MessagesAnswer,
  MessagesContentBlock,
  MessagesStopReason,
  MessagesUsage,
} from './messages-types.js';

/** The message id of a request: `msg_<request id>`, so an answer can be found in the logs. */
export const messageId = (requestId: string): string => `msg_${requestId}`;

/**
 * Usage in Anthropic's shape. OpenAI's `prompt_tokens` include the cached ones; Anthropic's
 * `input_tokens` do not, and it reports cache reads and writes apart: the prompt is split so that
 * the three add up to it, no token counted twice. Reasoning tokens are within `output_tokens` in
 * both.
 */
export function messagesUsage(report: UsageReport | undefined, costUsd: string): MessagesUsage {
  const cached = report?.cachedTokens ?? 0;
  const written = report?.cacheWriteTokens ?? 0;
  const reasoning = report?.reasoningTokens ?? 0;
  return {
    input_tokens: Math.max(0, (report?.promptTokens ?? 0) - cached - written),
    output_tokens: report?.completionTokens ?? 0,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: cached,
    cache_creation: null,
    output_tokens_details: reasoning > 0 ? { thinking_tokens: reasoning } : null,
    server_tool_use: null,
    inference_geo: null,
    service_tier: 'standard',
    cost: Number(costUsd),
  };
}

/** What a chat choice says about where it stopped, beyond the normalised `finish_reason`. */
export interface FinishInput {
  finishReason: string | null | undefined;
  /** OpenRouter's provider-side reason (`stop_sequence` from an Anthropic model). */
  nativeFinishReason?: unknown;
  /** The matched stop string, as vLLM-style upstreams report it (`stop_reason`). */
  stopReason?: unknown;
  /** True when the model refused (a `refusal` in the answer). */
  refused: boolean;
}

/**
 * The Anthropic stop reason of a chat finish: `length` → `max_tokens`, `tool_calls` →
 * `tool_use`, `content_filter` or a refusal → `refusal`, `stop` → `stop_sequence` when the
 * upstream says a stop sequence ended it (naming it, or when only one was asked for), else
 * `end_turn`. The chat language does not always say which stop string matched: without a word
 * from the upstream the answer is `end_turn`, never a guess.
 */
export function stopReasonOf(
  finish: FinishInput,
  stopSequences: readonly string[],
): { stop_reason: MessagesStopReason | null; stop_sequence: string | null } {
  if (finish.refused || finish.finishReason === 'content_filter')
    return { stop_reason: 'refusal', stop_sequence: null };
  switch (finish.finishReason) {
    case 'length':
      return { stop_reason: 'max_tokens', stop_sequence: null };
    case 'tool_calls':
    case 'function_call':
      return { stop_reason: 'tool_use', stop_sequence: null };
    case undefined:
    case null:
      return { stop_reason: null, stop_sequence: null };
    default: {
      if (typeof finish.stopReason === 'string' && stopSequences.includes(finish.stopReason)) {
        return { stop_reason: 'stop_sequence', stop_sequence: finish.stopReason };
      }
      if (finish.nativeFinishReason === 'stop_sequence' && stopSequences.length === 1) {
        return { stop_reason: 'stop_sequence', stop_sequence: stopSequences[0] as string };
      }
      return { stop_reason: 'end_turn', stop_sequence: null };
    }
  }
}

/** Tool-call arguments as the `input` object Anthropic's clients read. */
export function toolInput(name: string, text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    // The attempt is billed and in the ledger; its answer cannot be given in this shape.
    throw new AttemptError({
      code: 'invalid_response',
      message: `the upstream's call of tool "${name}" has arguments that are not JSON`,
    });
  }
}

/**
 * A chat completion as a Messages answer: the text (or refusal) as a text block, each tool call as
 * a `tool_use` block, the finish reason as `stop_reason`, the usage with the whole cost.
 */
export function toMessagesAnswer(input: {
  completion: ChatResponse;
  requestId: string;
  stopSequences: readonly string[];
  usage: UsageReport | undefined;
  costUsd: string;
}): MessagesAnswer {
  const choice = input.completion.choices?.[0];
  const message = choice?.message;
  const content: MessagesContentBlock[] = [];
  const refusal =
    typeof message?.refusal === 'string' && message.refusal !== '' ? message.refusal : undefined;
  const text = message?.content ?? refusal ?? '';
  if (text !== '') content.push({ type: 'text', text, citations: null });
  for (const call of message?.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: toolInput(call.function.name, call.function.arguments),
      caller: { type: 'direct' },
    });
  }
  const raw = choice as { native_finish_reason?: unknown; stop_reason?: unknown } | undefined;
  const stop = stopReasonOf(
    {
      finishReason: choice?.finish_reason,
      nativeFinishReason: raw?.native_finish_reason,
      stopReason: raw?.stop_reason,
      refused: refusal !== undefined,
    },
    input.stopSequences,
  );
  return {
    id: messageId(input.requestId),
    type: 'message',
    role: 'assistant',
    model: input.completion.model,
    content,
    stop_reason: stop.stop_reason,
    stop_sequence: stop.stop_sequence,
    stop_details: null,
    container: null,
    usage: messagesUsage(input.usage, input.costUsd),
  };
}
