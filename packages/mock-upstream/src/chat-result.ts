import type { PlannedToolCall } from './reply-plan.js';

/** Fields shared by a response and all chunks of one generation. */
export interface ResponseIdentity {
  /** Generation id, `gen-…` (also the `X-Generation-Id` header). */
  id: string;
  /** Unix seconds. */
  created: number;
  /** Model that served. */
  model: string;
  /** Provider display name. */
  provider: string;
}

/** OpenRouter's usage object. */
export interface Usage {
  /** Prompt tokens. */
  prompt_tokens: number;
  /** Completion tokens. */
  completion_tokens: number;
  /** Sum of both. */
  total_tokens: number;
  /** USD charged. */
  cost: number;
  /** Always false in the mock. */
  is_byok: boolean;
  /** Prompt tokens read from the cache (0 unless scripted), and written to it when scripted. */
  prompt_tokens_details: { cached_tokens: number; cache_write_tokens?: number };
  /** Completion tokens spent on reasoning (0 unless scripted). */
  completion_tokens_details: { reasoning_tokens: number };
}

/** Options of {@link createUsage}. */
export interface UsageInput {
  /** Prompt tokens. */
  promptTokens: number;
  /** Completion tokens. */
  completionTokens: number;
  /** USD. */
  cost: number;
  /** Prompt tokens read from the cache. @default 0 */
  cachedTokens?: number;
  /** Prompt tokens written to the cache; reported only when given. */
  cacheWriteTokens?: number;
  /** Completion tokens spent on reasoning. @default 0 */
  reasoningTokens?: number;
}

/** The usage object of a response or of the final stream chunk. */
export function createUsage(input: UsageInput): Usage {
  return {
    prompt_tokens: input.promptTokens,
    completion_tokens: input.completionTokens,
    total_tokens: input.promptTokens + input.completionTokens,
    cost: input.cost,
    is_byok: false,
    prompt_tokens_details: {
      cached_tokens: input.cachedTokens ?? 0,
      ...(input.cacheWriteTokens === undefined ? {} : { cache_write_tokens: input.cacheWriteTokens }),
    },
    completion_tokens_details: { reasoning_tokens: input.reasoningTokens ?? 0 },
  };
}

/** The assistant message of a non-stream response. */
export interface ResultMessage {
  /** Text, or null. */
  content: string | null;
  /** Refusal, or null. */
  refusal: string | null;
  /** Tool calls, possibly empty. */
  toolCalls: readonly PlannedToolCall[];
}

/** Options of {@link createChatResult}. */
export interface ChatResultInput {
  /** Id, created, model, provider. */
  identity: ResponseIdentity;
  /** The single choice's message; absent for `choices: []`. */
  message?: ResultMessage;
  /** Finish reason of the choice (null for a generation that never finished). */
  finishReason?: string | null;
  /** Usage. */
  usage: Usage;
}

/** A non-stream chat completion in OpenRouter's shape (`system_fingerprint: null`, `native_finish_reason`). */
export function createChatResult(input: ChatResultInput): Record<string, unknown> {
  const { identity, message } = input;
  const finishReason = input.finishReason ?? null;
  return {
    id: identity.id,
    provider: identity.provider,
    model: identity.model,
    object: 'chat.completion',
    created: identity.created,
    system_fingerprint: null,
    choices:
      message === undefined
        ? []
        : [
            {
              index: 0,
              logprobs: null,
              finish_reason: finishReason,
              native_finish_reason: finishReason,
              message: {
                role: 'assistant',
                content: message.content,
                refusal: message.refusal,
                ...(message.toolCalls.length > 0
                  ? {
                      tool_calls: message.toolCalls.map((call) => ({
                        id: call.id,
                        type: 'function',
                        function: { name: call.name, arguments: call.arguments },
                      })),
                    }
                  : {}),
              },
            },
          ],
    usage: input.usage,
  };
}
