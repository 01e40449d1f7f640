import type {
  ResponseFunctionToolCall,
  ResponseOutputMessage,
  ResponseStatus,
  ResponseUsage,
} from 'openai/resources/responses/responses';

/** A function tool as the Responses API lists it in an answer. */
export interface ResponsesTool {
  type: 'function';
  name: string;
  description: string | null;
  parameters: Record<string, unknown> | null;
  strict: boolean | null;
}

/** `tool_choice` as the Responses API names it. */
export type ResponsesToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; name: string };

/** `text.format` as the answer repeats it. */
export type ResponsesTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      schema: Record<string, unknown>;
      strict: boolean | null;
      description?: string;
    };

/**
 * The request's fields a Responses answer repeats (the API echoes its settings), kept from the
 * request translation so the answer translation needs no second look at the body.
 */
export interface ResponsesEcho {
  instructions: string | null;
  metadata: Record<string, string> | null;
  tools: ResponsesTool[];
  toolChoice: ResponsesToolChoice;
  parallelToolCalls: boolean;
  text: { format: ResponsesTextFormat };
  temperature: number | null;
  topP: number | null;
  maxOutputTokens: number | null;
  user: string | undefined;
}

/** Usage in the Responses shape, with the request's whole cost in USD as OpenRouter adds it. */
export type ResponsesUsage = ResponseUsage & {
  /** What the request cost in USD, failed attempts included (OpenRouter's `usage.cost`). */
  cost: number;
};

/** An output item Switchyard produces: a message, or a function call. */
export type ResponsesOutputItem = ResponseOutputMessage | (ResponseFunctionToolCall & { id: string });

/**
 * A Responses API answer (`object: "response"`), with every field the OpenAI SDK, the Vercel AI
 * SDK and OpenRouter's schema read. `output_text` is left to the SDKs, which compute it.
 */
export interface ResponsesAnswer {
  id: string;
  object: 'response';
  created_at: number;
  completed_at: number | null;
  status: ResponseStatus;
  background: false;
  model: string;
  output: ResponsesOutputItem[];
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  instructions: string | null;
  metadata: Record<string, string> | null;
  tools: ResponsesTool[];
  tool_choice: ResponsesToolChoice;
  parallel_tool_calls: boolean;
  text: { format: ResponsesTextFormat };
  temperature: number | null;
  top_p: number | null;
  presence_penalty: null;
  frequency_penalty: null;
  max_output_tokens: number | null;
  previous_response_id: null;
  store: false;
  truncation: 'disabled';
  service_tier: 'default';
  user?: string;
  /** Absent until the answer is complete (a stream's opening events). */
  usage?: ResponsesUsage;
}
