import type { UsageReport } from '../../src/trace/routing-trace.js';
import type { ChatChunk, ChatResponse } from '../../src/types/chat.js';

/**
 * Chat answers as the mock upstream sent them (recorded from its wire, OpenRouter's shape: the
 * `provider`, `native_finish_reason`, usage with `cost` and token details), for the translators'
 * unit tests and the translation benchmark.
 */
const identity = {
  id: 'gen-1796168430-9219f4f1881100000003',
  provider: 'OpenAI',
  model: 'openai/gpt-4o-mini',
  created: 1796168430,
};

const usage = {
  prompt_tokens: 8,
  completion_tokens: 17,
  total_tokens: 25,
  cost: 0.0000114,
  is_byok: false,
  prompt_tokens_details: { cached_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0 },
};

/** A text answer. */
export const TEXT_ANSWER = {
  ...identity,
  object: 'chat.completion',
  system_fingerprint: null,
  choices: [
    {
      index: 0,
      logprobs: null,
      finish_reason: 'stop',
      native_finish_reason: 'stop',
      message: {
        role: 'assistant',
        content: 'Mock reply from openai/gpt-4o-mini: you said "Hi".',
        refusal: null,
      },
    },
  ],
  usage,
} as unknown as ChatResponse;

/** An answer that calls one tool. */
export const TOOL_ANSWER = {
  ...identity,
  object: 'chat.completion',
  system_fingerprint: null,
  choices: [
    {
      index: 0,
      logprobs: null,
      finish_reason: 'tool_calls',
      native_finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          {
            id: 'call_9219f4f1881100000000',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"example"}' },
          },
        ],
      },
    },
  ],
  usage: { ...usage, prompt_tokens: 43, completion_tokens: 7, total_tokens: 50, cost: 0.00001065 },
} as unknown as ChatResponse;

const chunk = (delta: Record<string, unknown>, finish: string | null = null): ChatChunk =>
  ({
    ...identity,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish, native_finish_reason: finish, logprobs: null }],
  }) as unknown as ChatChunk;

const usageChunk = (values: typeof usage): ChatChunk =>
  ({ ...identity, object: 'chat.completion.chunk', choices: [], usage: values }) as unknown as ChatChunk;

/** The chunks of a streamed text answer, the usage chunk last. */
export const TEXT_CHUNKS: readonly ChatChunk[] = [
  chunk({ role: 'assistant', content: 'Mock ' }),
  ...['reply ', 'from ', 'openai/gpt-4o-mini: ', 'you ', 'said ', '"Hi".'].map((content) =>
    chunk({ content }),
  ),
  chunk({ role: 'assistant', content: '' }, 'stop'),
  usageChunk(usage),
];

/** The chunks of a streamed tool call. */
export const TOOL_CHUNKS: readonly ChatChunk[] = [
  chunk({
    role: 'assistant',
    content: null,
    tool_calls: [
      {
        index: 0,
        id: 'call_9219f4f1881100000001',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"example' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"}' } }] }),
  chunk({ role: 'assistant', content: '' }, 'tool_calls'),
  usageChunk({ ...usage, prompt_tokens: 43, completion_tokens: 7, total_tokens: 50, cost: 0.00001065 }),
];

/** A usage report as the router reads the text answer's usage. */
export const TEXT_USAGE: UsageReport = {
  promptTokens: 8,
  completionTokens: 17,
  totalTokens: 25,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  reportedCost: 0.0000114,
};
