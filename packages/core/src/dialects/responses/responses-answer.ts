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

/** What changes in a response object as it goes: its status, its output, its usage. */
export interface ResponsesState {
  status: ResponsesAnswer['status'];
  incomplete_details: ResponsesAnswer['incomplete_details'];
  completed_at: number | null;
  output: ResponsesAnswer['output'];
  error: ResponsesAnswer['error'];
  /** Absent until the answer is complete. */
  usage?: ResponsesUsage;
}

/** The state of a response before any output: what a stream's `response.created` carries. */
export const IN_PROGRESS: Readonly<ResponsesState> = {
  status: 'in_progress',
  incomplete_details: null,
  completed_at: null,
  output: [],
  error: null,
};

/**
 * A response object: who answered and the request's settings, in the state given. Built as one
 * literal (a spread of a 25-field object into another costs a stream several microseconds).
 */
export function responsesObject(
  identity: ResponsesIdentity,
  state: Readonly<ResponsesState>,
): ResponsesAnswer {
  const { echo } = identity;
  const answer: ResponsesAnswer = {
    id: responseId(identity.requestId),
    object: 'response',
    created_at: identity.createdAt,
    completed_at: state.completed_at,
    status: state.status,
    background: false,
    model: identity.model,
    output: state.output,
    error: state.error,
    incomplete_details: state.incomplete_details,
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
  };
  if (echo.user !== undefined) answer.user = echo.user;
  if (state.usage !== undefined) answer.usage = state.usage;
  return answer;
}

/** The state of a finished response: its outcome, when it completed, its output and usage. */
export function finishedState(
  finishReason: string | null | undefined,
  output: ResponsesAnswer['output'],
  usage: ResponsesUsage,
): ResponsesState {
  const outcome = responsesOutcome(finishReason);
  return {
    status: outcome.status,
    incomplete_details: outcome.incomplete_details,
    completed_at: outcome.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    output,
    error: null,
    usage,
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
  return responsesObject(
    identity,
    finishedState(choice?.finish_reason, output, responsesUsage(input.usage, input.costUsd)),
  );
}
