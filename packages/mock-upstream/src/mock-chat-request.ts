/** A content part of a chat message (OpenAI format). */
export interface MockContentPart {
  /** `text`, `image_url`, `input_audio`, `file`… */
  type: string;
  /** Text of a `text` part. */
  text?: string;
  /** Other fields of the part. */
  [key: string]: unknown;
}

/** A tool call inside an assistant message. */
export interface MockToolCall {
  /** Tool call id, echoed by the matching `tool` message. */
  id: string;
  /** Always `function`. */
  type: 'function';
  /** Function name and JSON-encoded arguments. */
  function: { name: string; arguments: string };
}

/** One message of a chat request. */
export interface MockChatMessage {
  /** `system`, `developer`, `user`, `assistant` or `tool`. */
  role: string;
  /** Text, content parts, or null (assistant messages with tool calls). */
  content?: string | MockContentPart[] | null;
  /** Participant name. */
  name?: string;
  /** Tool calls of an assistant message. */
  tool_calls?: MockToolCall[];
  /** Id of the call a `tool` message answers. */
  tool_call_id?: string;
}

/** A function tool offered to the model. */
export interface MockTool {
  /** Always `function`. */
  type: string;
  /** Name, description and JSON Schema of the parameters. */
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** The parsed body of a chat-completions request, as the mock received it. */
export interface MockChatRequest {
  /** Requested model id (before alias or auto-router resolution). */
  model: string;
  /** Conversation. */
  messages: MockChatMessage[];
  /** Whether the client asked for SSE. */
  stream?: boolean;
  /** Completion token cap (truncates the reply, finish reason `length`). */
  max_tokens?: number;
  /** Newer name of `max_tokens`; used when `max_tokens` is absent. */
  max_completion_tokens?: number;
  /** Tools the model may call. */
  tools?: MockTool[];
  /** `none`, `auto`, `required` or `{ type: 'function', function: { name } }`. */
  tool_choice?: string | { type: string; function?: { name: string } };
  /** `{ type: 'text' | 'json_object' }` or `{ type: 'json_schema', json_schema: { name, schema } }`. */
  response_format?: { type: string; json_schema?: { name?: string; schema?: Record<string, unknown> } };
  /** OpenRouter fallback list (recorded, not acted upon: the mock is one upstream). */
  models?: string[];
  /** Any other field. */
  [key: string]: unknown;
}
