/**
 * The parts of Anthropic's Messages API Switchyard speaks, as its wire has them (the core does not
 * depend on Anthropic's SDK; the gateway suite checks these shapes with it and with OpenRouter's
 * schema of the API).
 */

/** Why the model stopped. */
export type MessagesStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

/** A text block of an answer. */
export interface MessagesTextBlock {
  type: 'text';
  text: string;
  citations: null;
}

/** A tool call of an answer: the tool's name and its input (a JSON object). */
export interface MessagesToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
  /** Who called the tool: the model itself (Anthropic's programmatic callers aside). */
  caller: { type: 'direct' };
}

/** A content block of an answer. */
export type MessagesContentBlock = MessagesTextBlock | MessagesToolUseBlock;

/**
 * Usage in Anthropic's shape: `input_tokens` counts the prompt tokens neither read from nor
 * written to the cache (Anthropic counts those apart), so the three add up to the prompt, never
 * twice; `cost` is the request's whole cost in USD, as OpenRouter adds it.
 */
export interface MessagesUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: null;
  output_tokens_details: { thinking_tokens: number } | null;
  server_tool_use: null;
  inference_geo: null;
  service_tier: 'standard';
  /** What the request cost in USD, failed attempts included. */
  cost: number;
}

/** A Messages API answer (`type: "message"`). */
export interface MessagesAnswer {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: MessagesContentBlock[];
  stop_reason: MessagesStopReason | null;
  stop_sequence: string | null;
  stop_details: null;
  container: null;
  usage: MessagesUsage;
}

/** The error types of Anthropic's error shape. */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

/** Anthropic's error body: `{ "type": "error", "error": { "type", "message" }, "request_id" }`. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
  /** Switchyard's id of the request, when it was routed; null when it was refused before. */
  request_id: string | null;
}
