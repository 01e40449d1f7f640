import type { ResponseOutputMessage } from 'openai/resources/responses/responses';
import type { UsageReport } from '../../trace/routing-trace.js';
import type { ChatResponse } from '../../types/chat.js';
import type {
  ResponsesAnswer,
  ResponsesEcho,
  ResponsesOutputItem,
  ResponsesUsage,
} from './responses-types.js';

/** Who answered and when: the parts of an answer that come from the routing, not the completion. */
export interface ResponsesIdentity {
  /** The request's id (the routing trace's), from which the response and item ids are made. */
  requestId: string;
  /** The model that served. */
  model: string;
  /** Unix seconds. */
  createdAt: number;
  echo: ResponsesEcho;
}

/** The response id of a request: `resp_<request id>`, so an answer can be found in the logs. */
export const responseId = (requestId: string): string => `resp_${requestId}`;
/** The id of a request's message item (one per answer). */
export const messageItemId = (requestId: string, index: number): string => `msg_${requestId}_${index}`;
/** The id of a request's function-call item. */
export const functionItemId = (requestId: string, index: number): string => `fc_${requestId}_${index}`;

/**
 * Usage in the Responses shape: input, output and total tokens, the prompt tokens read from and
 * written to the cache, the reasoning tokens, and `cost`: the request's whole cost
 * in USD (failed attempts included), as the chat door puts it in `usage.cost`.
 */
export function responsesUsage(report: UsageReport | undefined, costUsd: string): ResponsesUsage {
  return {
    input_tokens: report?.promptTokens ?? 0,
    input_tokens_details: {
      cached_tokens: report?.cachedTokens ?? 0,
      cache_write_tokens: report?.cacheWriteTokens ?? 0,
    },
    output_tokens: report?.completionTokens ?? 0,
    output_tokens_details: { reasoning_tokens: report?.reasoningTokens ?? 0 },
    total_tokens: report?.totalTokens ?? 0,
    cost: Number(costUsd),
  };
}

/**
 * How a chat finish reason ends a response: `length` is an incomplete response for
 * `max_output_tokens`, `content_filter` one for `content_filter`; anything else completes it.
 */
export function responsesOutcome(
  finishReason: string | null | undefined,
): Pick<ResponsesAnswer, 'status' | 'incomplete_details'> {
  if (finishReason === 'length')
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter') {
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  }
  return { status: 'completed', incomplete_details: null };
}

/** The answer's frame, before any output and usage: what a stream's `response.created` carries. */
export function responsesFrame(identity: ResponsesIdentity): ResponsesAnswer {
  const { echo } = identity;
  return {
    id: responseId(identity.requestId),
    object: 'response',
    created_at: identity.createdAt,
    completed_at: null,
    status: 'in_progress',
    background: false,
    model: identity.model,
    output: [],
    error: null,
    incomplete_details: null,
    instructions: echo.instructions,
    metadata: echo.metadata,
    tools: echo.tools,
    tool_choice: echo.toolChoice,
    parallel_tool_calls: echo.parallelToolCalls,
    text: echo.text,
    temperature: echo.temperature,
    top_p: echo.topP,
    presence_penalty: null,
    frequency_penalty: null,
    max_output_tokens: echo.maxOutputTokens,
    previous_response_id: null,
    store: false,
    truncation: 'disabled',
    service_tier: 'default',
    ...(echo.user === undefined ? {} : { user: echo.user }),
  };
}

/**
 * A chat completion as a Responses answer: the text (or refusal) as one `message` item with an
 * `output_text` (or `refusal`) part, then one `function_call` item per tool call, the finish
 * reason as the status, the usage with the request's whole cost.
 */
export function toResponsesAnswer(input: {
  completion: ChatResponse;
  identity: ResponsesIdentity;
  usage: UsageReport | undefined;
  costUsd: string;
}): ResponsesAnswer {
  const { identity } = input;
  const choice = input.completion.choices?.[0];
  const message = choice?.message;
  const outcome = responsesOutcome(choice?.finish_reason);
  const output: ResponsesOutputItem[] = [];
  const content: ResponseOutputMessage['content'] = [];
  if (typeof message?.refusal === 'string' && message.refusal !== '') {
    content.push({ type: 'refusal', refusal: message.refusal });
  }
  const toolCalls = (message?.tool_calls ?? []).filter((call) => call.type === 'function');
  const text = message?.content ?? '';
  if (text !== '' || (content.length === 0 && toolCalls.length === 0)) {
    content.unshift({ type: 'output_text', text, annotations: [], logprobs: [] });
  }
  if (content.length > 0) {
    output.push({
      type: 'message',
      id: messageItemId(identity.requestId, 0),
      status: outcome.status === 'incomplete' ? 'incomplete' : 'completed',
      role: 'assistant',
      content,
    });
  }
  for (const call of toolCalls) {
    output.push({
      type: 'function_call',
      id: functionItemId(identity.requestId, output.length),
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      status: 'completed',
    });
  }
  return {
    ...responsesFrame(identity),
    ...outcome,
    completed_at: outcome.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    output,
    usage: responsesUsage(input.usage, input.costUsd),
  };
}
