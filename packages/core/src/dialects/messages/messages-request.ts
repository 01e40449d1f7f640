import type {
  ChatCompletionContentPart,
  ChatCompletionContentPartText,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { GatewayError } from '../../node/gateway-error.js';
import type { ChatRequest } from '../../types/chat.js';
import { invalidParameter, isObject, jsonType, rejectUnknownFields } from '../invalid-parameter.js';

/** A Messages API request, checked and translated into the internal chat language. */
export interface TranslatedMessagesRequest {
  /** The chat request the router runs. */
  chat: ChatRequest;
  /** The request's `stop_sequences`: the answer names the one that stopped it. */
  stopSequences: readonly string[];
  /** `metadata.user_id`: the end user, for budgets, limits and the ledger. */
  user: string | undefined;
}

const PROTOCOL = 'Messages API';

/**
 * Fields that do not change the answer Switchyard can give (one service tier, one region, no
 * diagnostics), accepted as Anthropic's SDK and tools built on it send them.
 */
const ACCEPTED = [
  'service_tier',
  'inference_geo',
  'speed',
  'diagnostics',
  'cache_control',
  'user_profile_id',
  'workspace_id',
];

const KNOWN = new Set([
  ...ACCEPTED,
  'model',
  'messages',
  'max_tokens',
  'system',
  'stop_sequences',
  'temperature',
  'top_p',
  'top_k',
  'metadata',
  'tools',
  'tool_choice',
  'stream',
  'thinking',
  'output_config',
]);

/** The same fields, less the answer's settings, that `count_tokens` takes. */
const COUNT_KNOWN = new Set([
  'model',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'cache_control',
]);

const string = (value: unknown, param: string): string => {
  if (typeof value !== 'string') throw invalidParameter(param, `must be a string, got ${jsonType(value)}`);
  return value;
};

/** A `cache_control` marker, passed on to the chat part (OpenRouter reads it for Anthropic models). */
const cacheControl = (block: Record<string, unknown>): { cache_control?: unknown } =>
  block.cache_control === undefined || block.cache_control === null
    ? {}
    : { cache_control: block.cache_control };

function textPart(block: Record<string, unknown>, param: string): ChatCompletionContentPartText {
  return {
    type: 'text',
    text: string(block.text, `${param}.text`),
    ...cacheControl(block),
  } as ChatCompletionContentPartText;
}

/** An image block (`base64` or `url` source) as a chat image part. */
function imagePart(block: Record<string, unknown>, param: string): ChatCompletionContentPart {
  const source = block.source;
  if (!isObject(source)) throw invalidParameter(`${param}.source`, 'required: a base64 or url image source');
  if (source.type === 'base64') {
    const mediaType = string(source.media_type, `${param}.source.media_type`);
    if (!/^image\/(jpeg|png|gif|webp)$/.test(mediaType)) {
      throw invalidParameter(
        `${param}.source.media_type`,
        'must be image/jpeg, image/png, image/gif or image/webp',
      );
    }
    const data = string(source.data, `${param}.source.data`);
    return { type: 'image_url', image_url: { url: `data:${mediaType};base64,${data}` } };
  }
  if (source.type === 'url')
    return { type: 'image_url', image_url: { url: string(source.url, `${param}.source.url`) } };
  throw invalidParameter(
    `${param}.source.type`,
    source.type === 'file'
      ? 'Switchyard has no file store: send the image as base64 or a URL'
      : 'must be "base64" or "url"',
  );
}

/** The text of a `tool_result`'s content: a string, or text blocks joined. */
function toolResultText(content: unknown, param: string): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalidParameter(param, 'must be a string or an array of text blocks');
  return content
    .map((block, index) => {
      if (!isObject(block) || block.type !== 'text') {
        throw invalidParameter(
          `${param}[${index}]`,
          'a tool_result holds text blocks only here (the chat language has no images in tool results)',
        );
      }
      return string(block.text, `${param}[${index}].text`);
    })
    .join('\n');
}

/**
 * A user turn: its `tool_result` blocks become tool messages (first, right after the assistant's
 * tool calls, as the chat language requires), its text and image blocks one user message.
 */
function userMessages(content: unknown, param: string): ChatCompletionMessageParam[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  if (!Array.isArray(content))
    throw invalidParameter(param, 'required: a string or an array of content blocks');
  const results: ChatCompletionMessageParam[] = [];
  const parts: ChatCompletionContentPart[] = [];
  content.forEach((block, index) => {
    const at = `${param}[${index}]`;
    if (!isObject(block))
      throw invalidParameter(at, `must be a content block object, got ${jsonType(block)}`);
    switch (block.type) {
      case 'text':
        parts.push(textPart(block, at));
        return;
      case 'image':
        parts.push(imagePart(block, at));
        return;
      case 'tool_result': {
        const text = toolResultText(block.content, `${at}.content`);
        results.push({
          role: 'tool',
          tool_call_id: string(block.tool_use_id, `${at}.tool_use_id`),
          // The chat language has no error flag on a tool message: the model reads it in the text.
          content: block.is_error === true ? `Error: ${text}` : text,
        });
        return;
      }
      default:
        throw invalidParameter(
          `${at}.type`,
          `${JSON.stringify(block.type)} is not supported in a user turn: use "text", "image" or "tool_result"`,
        );
    }
  });
  if (parts.length > 0) {
    const plain = parts.every((part) => part.type === 'text' && !('cache_control' in part));
    results.push({
      role: 'user',
      content: plain ? (parts as ChatCompletionContentPartText[]).map((part) => part.text).join('\n') : parts,
    });
  }
  return results;
}

/** An assistant turn: its text, and its `tool_use` blocks as tool calls (thinking blocks left out). */
function assistantMessage(content: unknown, param: string): ChatCompletionMessageParam {
  if (typeof content === 'string') return { role: 'assistant', content };
  if (!Array.isArray(content))
    throw invalidParameter(param, 'required: a string or an array of content blocks');
  const texts: string[] = [];
  const calls: ChatCompletionMessageFunctionToolCall[] = [];
  content.forEach((block, index) => {
    const at = `${param}[${index}]`;
    if (!isObject(block))
      throw invalidParameter(at, `must be a content block object, got ${jsonType(block)}`);
    switch (block.type) {
      case 'text':
        texts.push(string(block.text, `${at}.text`));
        return;
      case 'tool_use':
        if (!isObject(block.input)) throw invalidParameter(`${at}.input`, 'must be an object');
        calls.push({
          id: string(block.id, `${at}.id`),
          type: 'function',
          function: { name: string(block.name, `${at}.name`), arguments: JSON.stringify(block.input) },
        });
        return;
      // Thinking comes signed for Anthropic's own models: there is nothing to send an upstream chat call.
      case 'thinking':
      case 'redacted_thinking':
        return;
      default:
        throw invalidParameter(
          `${at}.type`,
          `${JSON.stringify(block.type)} is not supported in an assistant turn: use "text" or "tool_use"`,
        );
    }
  });
  return {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : null,
    ...(calls.length > 0 ? { tool_calls: calls } : {}),
  };
}

function messages(value: unknown): ChatCompletionMessageParam[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidParameter('messages', 'required: a non-empty array of messages');
  }
  const out: ChatCompletionMessageParam[] = [];
  value.forEach((message, index) => {
    const param = `messages[${index}]`;
    if (!isObject(message))
      throw invalidParameter(param, `must be a message object, got ${jsonType(message)}`);
    if (message.role === 'user') out.push(...userMessages(message.content, `${param}.content`));
    else if (message.role === 'assistant') out.push(assistantMessage(message.content, `${param}.content`));
    else
      throw invalidParameter(
        `${param}.role`,
        'must be "user" or "assistant" (the system prompt goes in `system`)',
      );
  });
  return out;
}

/** `system`: a string, or text blocks (kept as parts when one carries `cache_control`). */
function systemMessage(value: unknown): ChatCompletionMessageParam | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : { role: 'system', content: value };
  if (!Array.isArray(value)) throw invalidParameter('system', 'must be a string or an array of text blocks');
  const parts = value.map((block, index) => {
    if (!isObject(block) || block.type !== 'text')
      throw invalidParameter(`system[${index}]`, 'must be a text block');
    return textPart(block, `system[${index}]`);
  });
  if (parts.length === 0) return undefined;
  const cached = parts.some((part) => 'cache_control' in part);
  return { role: 'system', content: cached ? parts : parts.map((part) => part.text).join('\n') };
}

/** `tools`: client tools (name, description, input schema); Anthropic's server tools are not run here. */
function tools(value: unknown): ChatCompletionTool[] {
  if (!Array.isArray(value)) throw invalidParameter('tools', 'must be an array of tools');
  return value.map((tool, index) => {
    const param = `tools[${index}]`;
    if (!isObject(tool)) throw invalidParameter(param, `must be a tool object, got ${jsonType(tool)}`);
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      throw invalidParameter(
        `${param}.type`,
        `${JSON.stringify(tool.type)} is not supported: Switchyard runs no server tools, only client tools with an input_schema`,
      );
    }
    if (!isObject(tool.input_schema))
      throw invalidParameter(`${param}.input_schema`, 'required: a JSON Schema object');
    const description = typeof tool.description === 'string' ? tool.description : undefined;
    return {
      type: 'function',
      function: {
        name: string(tool.name, `${param}.name`),
        ...(description === undefined ? {} : { description }),
        parameters: tool.input_schema,
        ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {}),
      },
    };
  });
}

/** `tool_choice`: auto, any (some tool), one tool, or none; `disable_parallel_tool_use` kept. */
function toolChoice(value: unknown): {
  choice: ChatCompletionToolChoiceOption;
  parallel: boolean | undefined;
} {
  if (!isObject(value)) throw invalidParameter('tool_choice', 'must be an object with a "type"');
  const parallel = value.disable_parallel_tool_use === true ? false : undefined;
  switch (value.type) {
    case 'auto':
      return { choice: 'auto', parallel };
    case 'any':
      return { choice: 'required', parallel };
    case 'none':
      return { choice: 'none', parallel };
    case 'tool':
      return {
        choice: { type: 'function', function: { name: string(value.name, 'tool_choice.name') } },
        parallel,
      };
    default:
      throw invalidParameter('tool_choice.type', 'must be "auto", "any", "tool" or "none"');
  }
}

/** `thinking`: a budget becomes OpenRouter's `reasoning.max_tokens`; `disabled` sends nothing. */
function reasoning(value: unknown): ChatRequest['reasoning'] {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalidParameter('thinking', 'must be an object with a "type"');
  if (value.type === 'disabled') return undefined;
  if (value.type === 'adaptive') return { enabled: true };
  if (value.type === 'enabled') {
    const budget = value.budget_tokens;
    if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 1) {
      throw invalidParameter('thinking.budget_tokens', 'must be a positive integer');
    }
    return { max_tokens: budget };
  }
  throw invalidParameter('thinking.type', 'must be "enabled", "adaptive" or "disabled"');
}

/** `output_config.format`: a JSON schema the answer must follow, as `response_format`. */
function responseFormat(value: unknown): ChatRequest['response_format'] {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalidParameter('output_config', 'must be an object');
  const format = value.format;
  if (format === undefined || format === null) return undefined;
  if (!isObject(format) || format.type !== 'json_schema' || !isObject(format.schema)) {
    throw invalidParameter('output_config.format', 'must be { "type": "json_schema", "schema": { … } }');
  }
  return { type: 'json_schema', json_schema: { name: 'output', schema: format.schema, strict: true } };
}

const number = (body: Record<string, unknown>, field: string, range: { min: number; max: number }) => {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < range.min || value > range.max) {
    throw invalidParameter(field, `must be a number from ${range.min} to ${range.max}`);
  }
  return value;
};

/** The conversation of a request (system prompt, messages, tools): what is sent and what is counted. */
function conversation(
  body: Record<string, unknown>,
): Pick<
  ChatRequest,
  'model' | 'messages' | 'tools' | 'tool_choice' | 'parallel_tool_calls' | 'reasoning' | 'response_format'
> {
  if (typeof body.model !== 'string' || body.model === '') {
    throw invalidParameter('model', 'required: a route, an alias or a model id');
  }
  const chatMessages = messages(body.messages);
  const system = systemMessage(body.system);
  if (system !== undefined) chatMessages.unshift(system);
  const toolList = body.tools === undefined || body.tools === null ? [] : tools(body.tools);
  const choice =
    body.tool_choice === undefined || body.tool_choice === null ? undefined : toolChoice(body.tool_choice);
  const thinking = reasoning(body.thinking);
  const format = responseFormat(body.output_config);
  const hasTools = toolList.length > 0;
  return {
    model: body.model,
    messages: chatMessages,
    ...(hasTools ? { tools: toolList } : {}),
    ...(hasTools && choice !== undefined ? { tool_choice: choice.choice } : {}),
    ...(hasTools && choice?.parallel !== undefined ? { parallel_tool_calls: choice.parallel } : {}),
    ...(thinking === undefined ? {} : { reasoning: thinking }),
    ...(format === undefined ? {} : { response_format: format }),
  };
}

const checkObject = (body: unknown): Record<string, unknown> => {
  if (!isObject(body))
    throw new GatewayError({ code: 'invalid_json', message: 'request body must be a JSON object' });
  return body;
};

/**
 * Checks a `POST /messages` body and translates it into a chat request: `system` as the first
 * system message, text and image blocks as content parts, `tool_use` blocks as tool calls and
 * `tool_result` blocks as tool messages, client `tools` as function tools, `tool_choice`
 * (`auto` / `any` / `tool` / `none`), `stop_sequences` as `stop`, `max_tokens` (required, as
 * Anthropic requires it) as `max_completion_tokens`, `top_k` passed on, `metadata.user_id` as the
 * end user. Anything else is a 400 naming the field.
 */
export function translateMessagesRequest(body: unknown): TranslatedMessagesRequest {
  const request = checkObject(body);
  rejectUnknownFields(request, KNOWN, { protocol: PROTOCOL });
  const maxTokens = request.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    throw invalidParameter('max_tokens', 'required: a positive integer (the Messages API requires it)');
  }
  if (request.stream !== undefined && request.stream !== null && typeof request.stream !== 'boolean') {
    throw invalidParameter('stream', 'must be a boolean');
  }
  const temperature = number(request, 'temperature', { min: 0, max: 1 });
  const topP = number(request, 'top_p', { min: 0, max: 1 });
  const topK = request.top_k;
  if (
    topK !== undefined &&
    topK !== null &&
    (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 0)
  ) {
    throw invalidParameter('top_k', 'must be a non-negative integer');
  }
  const stop = request.stop_sequences;
  if (
    stop !== undefined &&
    stop !== null &&
    (!Array.isArray(stop) || stop.some((entry) => typeof entry !== 'string'))
  ) {
    throw invalidParameter('stop_sequences', 'must be an array of strings');
  }
  const stopSequences = (stop ?? []) as string[];
  const metadata = request.metadata;
  if (metadata !== undefined && metadata !== null) {
    if (!isObject(metadata)) throw invalidParameter('metadata', 'must be an object');
    rejectUnknownFields(metadata, new Set(['user_id']), { prefix: 'metadata.', protocol: PROTOCOL });
    if (metadata.user_id !== undefined && metadata.user_id !== null && typeof metadata.user_id !== 'string') {
      throw invalidParameter('metadata.user_id', 'must be a string');
    }
  }
  const user = isObject(metadata) && typeof metadata.user_id === 'string' ? metadata.user_id : undefined;
  // Set field by field: a literal with keys after a spread takes a slow path on Node 20.
  const chat = conversation(request) as ChatRequest;
  if (request.stream === true) chat.stream = true;
  chat.max_completion_tokens = maxTokens;
  if (temperature !== undefined) chat.temperature = temperature;
  if (topP !== undefined) chat.top_p = topP;
  if (typeof topK === 'number') (chat as ChatRequest & { top_k?: number }).top_k = topK;
  if (stopSequences.length > 0) chat.stop = stopSequences;
  if (user !== undefined) chat.user = user;
  return { chat, stopSequences, user };
}

/**
 * Checks a `POST /messages/count_tokens` body (a Messages request without `max_tokens`) and
 * translates its conversation, so it is counted exactly as it would be sent.
 */
export function translateCountTokensRequest(body: unknown): ChatRequest {
  const request = checkObject(body);
  rejectUnknownFields(request, COUNT_KNOWN, { protocol: `${PROTOCOL}'s count_tokens` });
  return conversation(request) as ChatRequest;
}
