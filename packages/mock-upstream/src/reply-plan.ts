import { defaultReplyText } from './default-reply.js';
import { exampleFromSchema } from './example-from-schema.js';
import type { MockChatRequest, MockTool } from './mock-chat-request.js';
import type { ModelQuirks } from './model-quirks.js';
import type { ScriptFinishReason, SuccessStep } from './script-step.js';
import { countTextTokens, truncateToTokens } from './token-counter.js';

/**
 * A reply: source of content for every success-like response. A function that returns undefined
 * has nothing to say to that request, and the mock answers it as it would without it (a tool call,
 * JSON for a response format, the next reply source, the default text).
 */
export type ReplySource = string | ((request: MockChatRequest) => string | undefined);

/** A tool call the mock answers with. */
export interface PlannedToolCall {
  /** `call_…` id. */
  id: string;
  /** Function name. */
  name: string;
  /** JSON-encoded arguments. */
  arguments: string;
}

/** What the assistant says, before it is shaped as JSON or SSE. */
export interface ReplyPlan {
  /** Text content, null when the reply is only tool calls or a refusal. */
  content: string | null;
  /** Refusal text, or null. */
  refusal: string | null;
  /** Tool calls, possibly empty. */
  toolCalls: PlannedToolCall[];
  /** Normalised finish reason. */
  finishReason: ScriptFinishReason;
  /** Tokens of content, refusal and tool calls. */
  completionTokens: number;
}

/** Options of {@link planReply}. */
export interface ReplyPlanInput {
  /** The request being answered. */
  request: MockChatRequest;
  /** Scripted success step, if any. */
  step?: SuccessStep;
  /** Sources in priority order after the step: `setReply` for the model, then `options.reply`. */
  replies: { model?: ReplySource; global?: ReplySource };
  /** Model named in the response. */
  servedModel: string;
  /** The requested model's quirks (`setQuirks`). */
  quirks?: ModelQuirks;
  /** Makes tool call ids. */
  nextToolCallId: () => string;
}

/**
 * Decides the reply. Priority: the step's `content` / `toolCalls` / `refusal`; `setReply` for the
 * model; a call to the requested tool (tools offered, `tool_choice` not `none`, last message not
 * `tool`); JSON for `response_format` json_object / json_schema; `options.reply`; the default text.
 * A reply function that returns undefined is passed over.
 * `max_tokens` (or `max_completion_tokens`) truncates text content, finish reason `length`.
 */
export function planReply(input: ReplyPlanInput): ReplyPlan {
  const { request, step } = input;
  let content: string | null;
  let refusal: string | null = null;
  let toolCalls: PlannedToolCall[] = [];
  const scripted =
    step?.content !== undefined || step?.toolCalls !== undefined || step?.refusal !== undefined;
  const modelReply = scripted ? undefined : fromSource(input.replies.model, request);
  if (scripted) {
    content = step.content ?? null;
    refusal = step.refusal ?? null;
    toolCalls = (step.toolCalls ?? []).map((call) => ({ id: input.nextToolCallId(), ...call }));
  } else if (modelReply !== undefined) {
    content = modelReply;
  } else {
    const tool = toolToCall(request);
    const quirks = input.quirks ?? {};
    if (tool && quirks.tools === 'ignore') {
      content = `I cannot call ${tool.function.name}; here is my answer in words instead.`;
    } else if (tool) {
      const example = JSON.stringify(exampleFromSchema(tool.function.parameters ?? { type: 'object' }));
      content = null;
      toolCalls = [
        {
          id: input.nextToolCallId(),
          name: tool.function.name,
          // Cut before its end: what a model that loses track of the schema sends.
          arguments: quirks.tools === 'malformed-arguments' ? example.slice(0, -1) : example,
        },
      ];
    } else if (quirks.jsonSchema === 'ignore' && request.response_format?.type === 'json_schema') {
      content = `Sure! ${defaultReplyText({ request, servedModel: input.servedModel })}`;
    } else {
      content =
        jsonReply(request, input) ??
        fromSource(input.replies.global, request) ??
        defaultReplyText({ request, servedModel: input.servedModel });
    }
  }

  let finishReason: ScriptFinishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const maxTokens = [request.max_tokens, request.max_completion_tokens].find(
    (value) => typeof value === 'number',
  );
  if (content !== null && typeof maxTokens === 'number' && step?.finishReason === undefined) {
    const truncated = truncateToTokens(content, maxTokens);
    if (truncated !== undefined) {
      content = truncated;
      finishReason = 'length';
    }
  }
  const completionTokens =
    countTextTokens(content ?? '') +
    countTextTokens(refusal ?? '') +
    toolCalls.reduce((sum, call) => sum + countTextTokens(call.name) + countTextTokens(call.arguments), 0);
  return { content, refusal, toolCalls, finishReason: step?.finishReason ?? finishReason, completionTokens };
}

/** Text of a reply source, or undefined when there is none or it has nothing for this request. */
function fromSource(source: ReplySource | undefined, request: MockChatRequest): string | undefined {
  return typeof source === 'function' ? source(request) : source;
}

/** The tool the model should call, if the request calls for one. */
function toolToCall(request: MockChatRequest): MockTool | undefined {
  const tools = request.tools;
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  if (request.tool_choice === 'none') return undefined;
  if (request.messages[request.messages.length - 1]?.role === 'tool') return undefined;
  const choice = request.tool_choice;
  if (typeof choice === 'object' && choice.function?.name !== undefined) {
    return tools.find((tool) => tool.function?.name === choice.function?.name) ?? tools[0];
  }
  return tools[0];
}

/** JSON text for `response_format` json_object / json_schema, else undefined. */
function jsonReply(request: MockChatRequest, input: ReplyPlanInput): string | undefined {
  const format = request.response_format;
  if (format?.type === 'json_schema')
    return JSON.stringify(exampleFromSchema(format.json_schema?.schema ?? {}));
  if (format?.type === 'json_object') {
    return JSON.stringify({ reply: defaultReplyText({ request, servedModel: input.servedModel }) });
  }
  return undefined;
}
