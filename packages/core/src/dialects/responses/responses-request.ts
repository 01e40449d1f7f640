import type {
  ChatCompletionAssistantMessageParam,
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
import type { ResponsesEcho, ResponsesTool, ResponsesToolChoice } from './responses-types.js';

/** A Responses API request, checked and translated into the internal chat language. */
export interface TranslatedResponsesRequest {
  /** The chat request the router runs. */
  chat: ChatRequest;
  /** The request's fields the answer repeats (`tools`, `instructions`, `text`, …). */
  echo: ResponsesEcho;
}

const PROTOCOL = 'Responses API';

/**
 * Fields that do not change the answer Switchyard can give, accepted as clients send them (the
 * Vercel AI SDK sends `store` and `include`, the openai SDK `stream_options`): there is no stored
 * state, no hosted tool, one service tier.
 */
const ACCEPTED = [
  'store',
  'include',
  'truncation',
  'service_tier',
  'reasoning',
  'stream_options',
  'prompt_cache_key',
  'prompt_cache_retention',
  'safety_identifier',
  'top_logprobs',
  'max_tool_calls',
];

const KNOWN = new Set([
  ...ACCEPTED,
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'max_output_tokens',
  'temperature',
  'top_p',
  'metadata',
  'stream',
  'user',
  'previous_response_id',
  'conversation',
  'background',
  'prompt',
]);

const NO_STATE =
  'Switchyard stores no responses or conversations, so it cannot continue one: send the whole conversation in `input`';

const string = (value: unknown, param: string): string => {
  if (typeof value !== 'string') throw invalidParameter(param, `must be a string, got ${jsonType(value)}`);
  return value;
};

const optionalNumber = (
  body: Record<string, unknown>,
  field: string,
  range: { min: number; max: number },
): number | undefined => {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < range.min || value > range.max) {
    throw invalidParameter(field, `must be a number from ${range.min} to ${range.max}`);
  }
  return value;
};

/** `input_text` / `input_image` / `input_file` parts of a user, system or developer message. */
function inputPart(part: unknown, param: string): ChatCompletionContentPart {
  if (!isObject(part)) throw invalidParameter(param, `must be a content part object, got ${jsonType(part)}`);
  switch (part.type) {
    case 'input_text':
      return { type: 'text', text: string(part.text, `${param}.text`) };
    case 'input_image': {
      if (typeof part.image_url !== 'string' || part.image_url === '') {
        throw invalidParameter(
          `${param}.image_url`,
          part.file_id === undefined
            ? 'required: an image URL or a data URL'
            : 'required: Switchyard has no file store, so send the image as a URL or a data URL instead of a file_id',
        );
      }
      const detail = part.detail;
      if (
        detail !== undefined &&
        detail !== null &&
        detail !== 'low' &&
        detail !== 'high' &&
        detail !== 'auto'
      ) {
        throw invalidParameter(`${param}.detail`, 'must be "low", "high" or "auto"');
      }
      return {
        type: 'image_url',
        image_url: { url: part.image_url, ...(typeof detail === 'string' ? { detail } : {}) },
      };
    }
    case 'input_file': {
      if (typeof part.file_data !== 'string' || part.file_data === '') {
        throw invalidParameter(
          `${param}.file_data`,
          'required: Switchyard has no file store, so send the file inline as a data URL (file_id and file_url are not supported)',
        );
      }
      return {
        type: 'file',
        file: {
          file_data: part.file_data,
          ...(typeof part.filename === 'string' ? { filename: part.filename } : {}),
        },
      };
    }
    default:
      throw invalidParameter(
        `${param}.type`,
        `${JSON.stringify(part.type)} is not a supported input part: use "input_text", "input_image" or "input_file"`,
      );
  }
}

/** The text of an assistant message's `output_text` and `refusal` parts. */
function assistantContent(
  content: unknown,
  param: string,
): Pick<ChatCompletionAssistantMessageParam, 'content' | 'refusal'> {
  if (typeof content === 'string') return { content };
  if (!Array.isArray(content)) throw invalidParameter(param, 'must be a string or an array of parts');
  const texts: string[] = [];
  const refusals: string[] = [];
  content.forEach((part, index) => {
    const at = `${param}[${index}]`;
    if (!isObject(part)) throw invalidParameter(at, `must be a content part object, got ${jsonType(part)}`);
    if (part.type === 'output_text' || part.type === 'input_text')
      texts.push(string(part.text, `${at}.text`));
    else if (part.type === 'refusal') refusals.push(string(part.refusal, `${at}.refusal`));
    else throw invalidParameter(`${at}.type`, 'an assistant message holds "output_text" or "refusal" parts');
  });
  return {
    content: texts.length > 0 ? texts.join('') : null,
    ...(refusals.length > 0 ? { refusal: refusals.join('') } : {}),
  };
}

/** One message item (`{ role, content }`, with or without `type: "message"`). */
function messageItem(item: Record<string, unknown>, param: string): ChatCompletionMessageParam {
  const { role, content } = item;
  if (role === 'assistant') return { role: 'assistant', ...assistantContent(content, `${param}.content`) };
  if (role !== 'user' && role !== 'system' && role !== 'developer') {
    throw invalidParameter(`${param}.role`, 'must be "user", "assistant", "system" or "developer"');
  }
  let parts: ChatCompletionContentPart[] | string;
  if (typeof content === 'string') parts = content;
  else if (Array.isArray(content)) {
    parts = content.map((part, index) => inputPart(part, `${param}.content[${index}]`));
  } else throw invalidParameter(`${param}.content`, 'required: a string or an array of input parts');
  if (role === 'user') return { role: 'user', content: parts };
  // System text only: the chat language has no images there. `developer` is sent as `system`, which
  // every OpenAI-compatible upstream reads.
  if (typeof parts !== 'string' && parts.some((part) => part.type !== 'text')) {
    throw invalidParameter(`${param}.content`, `a ${role} message holds text only`);
  }
  return { role: 'system', content: parts as string | ChatCompletionContentPartText[] };
}

/** The output of a `function_call_output` item: its text, or its `input_text` parts joined. */
function toolOutput(output: unknown, param: string): string {
  if (typeof output === 'string') return output;
  if (!Array.isArray(output))
    throw invalidParameter(param, 'required: a string or an array of input_text parts');
  return output
    .map((part, index) => {
      if (!isObject(part) || part.type !== 'input_text') {
        throw invalidParameter(`${param}[${index}]`, 'a tool output holds "input_text" parts only');
      }
      return string(part.text, `${param}[${index}].text`);
    })
    .join('');
}

/** `input`: a string (one user message) or items, as chat messages in order. */
function inputMessages(input: unknown): ChatCompletionMessageParam[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input) || input.length === 0) {
    throw invalidParameter('input', 'required: a string or a non-empty array of input items');
  }
  const messages: ChatCompletionMessageParam[] = [];
  input.forEach((item, index) => {
    const param = `input[${index}]`;
    if (!isObject(item)) throw invalidParameter(param, `must be an input item object, got ${jsonType(item)}`);
    const type = item.type ?? 'message';
    switch (type) {
      case 'message':
        messages.push(messageItem(item, param));
        return;
      case 'function_call': {
        const call: ChatCompletionMessageFunctionToolCall = {
          id: string(item.call_id, `${param}.call_id`),
          type: 'function',
          function: {
            name: string(item.name, `${param}.name`),
            arguments: string(item.arguments, `${param}.arguments`),
          },
        };
        // Consecutive calls (and a text answer just before them) are one assistant turn in chat.
        const last = messages.at(-1);
        if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), call];
        else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
        return;
      }
      case 'function_call_output':
        messages.push({
          role: 'tool',
          tool_call_id: string(item.call_id, `${param}.call_id`),
          content: toolOutput(item.output, `${param}.output`),
        });
        return;
      // A reasoning item carries nothing an upstream chat call can take back; it is left out.
      case 'reasoning':
        return;
      case 'item_reference':
        throw invalidParameter(
          `${param}`,
          `an item_reference cannot be resolved: ${NO_STATE} (with the Vercel AI SDK, set providerOptions.openai.store to false)`,
        );
      default:
        throw invalidParameter(
          `${param}.type`,
          `${JSON.stringify(type)} is not supported: use "message", "function_call" or "function_call_output" items`,
        );
    }
  });
  if (messages.length === 0) throw invalidParameter('input', 'holds no message Switchyard can send');
  return messages;
}

/** `tools`: function tools only (Switchyard runs no hosted tool). */
function tools(value: unknown): { chat: ChatCompletionTool[]; echo: ResponsesTool[] } {
  if (!Array.isArray(value)) throw invalidParameter('tools', 'must be an array of function tools');
  const chat: ChatCompletionTool[] = [];
  const echo: ResponsesTool[] = [];
  value.forEach((tool, index) => {
    const param = `tools[${index}]`;
    if (!isObject(tool)) throw invalidParameter(param, `must be a tool object, got ${jsonType(tool)}`);
    if (tool.type !== 'function') {
      throw invalidParameter(
        `${param}.type`,
        `${JSON.stringify(tool.type)} is not supported: Switchyard runs no hosted tools, only "function" tools`,
      );
    }
    const name = string(tool.name, `${param}.name`);
    const parameters = tool.parameters ?? null;
    if (parameters !== null && !isObject(parameters)) {
      throw invalidParameter(`${param}.parameters`, 'must be a JSON Schema object');
    }
    const description = typeof tool.description === 'string' ? tool.description : null;
    const strict = typeof tool.strict === 'boolean' ? tool.strict : null;
    chat.push({
      type: 'function',
      function: {
        name,
        ...(description === null ? {} : { description }),
        ...(parameters === null ? {} : { parameters }),
        ...(strict === null ? {} : { strict }),
      },
    });
    echo.push({ type: 'function', name, description, parameters, strict });
  });
  return { chat, echo };
}

/** `tool_choice`: `none`, `auto`, `required` or one function. */
function toolChoice(value: unknown): { chat: ChatCompletionToolChoiceOption; echo: ResponsesToolChoice } {
  if (value === 'none' || value === 'auto' || value === 'required') return { chat: value, echo: value };
  if (isObject(value) && value.type === 'function') {
    const name = string(value.name, 'tool_choice.name');
    return { chat: { type: 'function', function: { name } }, echo: { type: 'function', name } };
  }
  throw invalidParameter(
    'tool_choice',
    'must be "none", "auto", "required" or { "type": "function", "name" }',
  );
}

/** `text.format` as the chat request's `response_format` (none for plain text). */
function textFormat(text: unknown): {
  responseFormat: ChatRequest['response_format'];
  echo: ResponsesEcho['text'];
} {
  if (!isObject(text)) throw invalidParameter('text', 'must be an object');
  rejectUnknownFields(text, new Set(['format', 'verbosity']), { prefix: 'text.', protocol: PROTOCOL });
  const format = text.format ?? { type: 'text' };
  if (!isObject(format)) throw invalidParameter('text.format', 'must be an object');
  switch (format.type) {
    case 'text':
      return { responseFormat: undefined, echo: { format: { type: 'text' } } };
    case 'json_object':
      return { responseFormat: { type: 'json_object' }, echo: { format: { type: 'json_object' } } };
    case 'json_schema': {
      const name = string(format.name, 'text.format.name');
      if (!isObject(format.schema))
        throw invalidParameter('text.format.schema', 'required: a JSON Schema object');
      const strict = typeof format.strict === 'boolean' ? format.strict : undefined;
      const description = typeof format.description === 'string' ? format.description : undefined;
      const schema = format.schema;
      return {
        responseFormat: {
          type: 'json_schema',
          json_schema: {
            name,
            schema,
            ...(strict === undefined ? {} : { strict }),
            ...(description === undefined ? {} : { description }),
          },
        },
        echo: {
          format: {
            type: 'json_schema',
            name,
            schema,
            strict: strict ?? null,
            ...(description === undefined ? {} : { description }),
          },
        },
      };
    }
    default:
      throw invalidParameter('text.format.type', 'must be "text", "json_object" or "json_schema"');
  }
}

/** `metadata`: string values, echoed in the answer (not sent upstream: it is the caller's own). */
function metadata(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw invalidParameter('metadata', 'must be an object of string values');
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw invalidParameter(`metadata.${key}`, 'must be a string');
  }
  return value as Record<string, string>;
}

/**
 * Checks a `POST /responses` body and translates it into a chat request: `instructions` as the
 * first system message, `input` items as messages (function calls and their outputs as assistant
 * tool calls and tool messages), function `tools` and `tool_choice`, `text.format` as
 * `response_format`, `max_output_tokens` as `max_completion_tokens`. A field Switchyard cannot
 * honour is a 400 naming it: `previous_response_id` and `conversation` (nothing is stored),
 * hosted tools, unknown fields.
 */
export function translateResponsesRequest(body: unknown): TranslatedResponsesRequest {
  if (!isObject(body))
    throw new GatewayError({ code: 'invalid_json', message: 'request body must be a JSON object' });
  rejectUnknownFields(body, KNOWN, { protocol: PROTOCOL });
  if (body.previous_response_id !== undefined && body.previous_response_id !== null) {
    throw invalidParameter('previous_response_id', NO_STATE);
  }
  if (body.conversation !== undefined && body.conversation !== null)
    throw invalidParameter('conversation', NO_STATE);
  if (body.background === true) {
    throw invalidParameter(
      'background',
      'Switchyard answers while the request is open: it runs no background responses',
    );
  }
  if (body.prompt !== undefined && body.prompt !== null) {
    throw invalidParameter('prompt', 'stored prompt templates are not supported: send the prompt in `input`');
  }
  if (typeof body.model !== 'string' || body.model === '') {
    throw invalidParameter('model', 'required: a route, an alias or a model id');
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    throw invalidParameter('stream', 'must be a boolean');
  }
  const maxOutputTokens = body.max_output_tokens;
  if (
    maxOutputTokens !== undefined &&
    maxOutputTokens !== null &&
    (typeof maxOutputTokens !== 'number' || !Number.isInteger(maxOutputTokens) || maxOutputTokens < 1)
  ) {
    throw invalidParameter('max_output_tokens', 'must be a positive integer');
  }
  const temperature = optionalNumber(body, 'temperature', { min: 0, max: 2 });
  const topP = optionalNumber(body, 'top_p', { min: 0, max: 1 });
  const instructions = body.instructions ?? null;
  if (instructions !== null && typeof instructions !== 'string') {
    throw invalidParameter('instructions', 'must be a string');
  }
  for (const field of ['user', 'safety_identifier'] as const) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'string') {
      throw invalidParameter(field, 'must be a string');
    }
  }
  if (
    body.parallel_tool_calls !== undefined &&
    body.parallel_tool_calls !== null &&
    typeof body.parallel_tool_calls !== 'boolean'
  ) {
    throw invalidParameter('parallel_tool_calls', 'must be a boolean');
  }

  const messages = inputMessages(body.input);
  if (instructions !== null && instructions !== '')
    messages.unshift({ role: 'system', content: instructions });
  const toolList = body.tools === undefined || body.tools === null ? undefined : tools(body.tools);
  const choice =
    body.tool_choice === undefined || body.tool_choice === null ? undefined : toolChoice(body.tool_choice);
  const text = body.text === undefined || body.text === null ? undefined : textFormat(body.text);
  // The end user: `user`, or the `safety_identifier` newer clients send instead.
  const user = (body.user ?? body.safety_identifier ?? undefined) as string | undefined;
  const hasTools = toolList !== undefined && toolList.chat.length > 0;

  const chat: ChatRequest = {
    model: body.model,
    messages,
    ...(body.stream === true ? { stream: true } : {}),
    ...(typeof maxOutputTokens === 'number' ? { max_completion_tokens: maxOutputTokens } : {}),
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { top_p: topP }),
    ...(hasTools ? { tools: toolList.chat } : {}),
    ...(hasTools && choice !== undefined ? { tool_choice: choice.chat } : {}),
    ...(hasTools && typeof body.parallel_tool_calls === 'boolean'
      ? { parallel_tool_calls: body.parallel_tool_calls }
      : {}),
    ...(text?.responseFormat === undefined ? {} : { response_format: text.responseFormat }),
    ...(user === undefined ? {} : { user }),
  };
  return {
    chat,
    echo: {
      instructions,
      metadata: metadata(body.metadata),
      tools: toolList?.echo ?? [],
      toolChoice: choice?.echo ?? 'auto',
      parallelToolCalls: body.parallel_tool_calls !== false,
      text: text?.echo ?? { format: { type: 'text' } },
      temperature: temperature ?? null,
      topP: topP ?? null,
      maxOutputTokens: typeof maxOutputTokens === 'number' ? maxOutputTokens : null,
      user,
    },
  };
}
