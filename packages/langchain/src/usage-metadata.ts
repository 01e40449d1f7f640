import type { UsageMetadata } from '@langchain/core/messages';
import type { ChatResponse } from '@switchyard/core';

/** Token usage as an OpenAI-compatible upstream reports it. */
export type OpenAIUsage = NonNullable<ChatResponse['usage']>;

/**
 * LangChain's `usage_metadata` of an answer: input, output and total tokens, with the cached
 * prompt tokens (`input_token_details.cache_read`) and reasoning tokens
 * (`output_token_details.reasoning`) when the upstream reports them.
 */
export function toUsageMetadata(usage: OpenAIUsage): UsageMetadata {
  const cached = usage.prompt_tokens_details?.cached_tokens;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  return {
    input_tokens: usage.prompt_tokens,
    output_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
    ...(typeof cached === 'number' ? { input_token_details: { cache_read: cached } } : {}),
    ...(typeof reasoning === 'number' ? { output_token_details: { reasoning } } : {}),
  };
}
