import { countTokens, decode, encode } from 'gpt-tokenizer';
import type { MockChatMessage, MockChatRequest } from './mock-chat-request.js';

/** Special tokens such as `<|endoftext|>` in user text are counted as plain text, never rejected. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens added for each message (role and separators), as in OpenAI's cookbook estimate. */
export const TOKENS_PER_MESSAGE = 4;
/** Tokens that prime the assistant's reply, added once per request. */
export const TOKENS_PER_REPLY = 3;
/** Flat cost of one image part (OpenAI's low-detail image price). */
export const TOKENS_PER_IMAGE = 85;

/** Number of o200k tokens of a text. */
export function countTextTokens(text: string): number {
  return text === '' ? 0 : countTokens(text, PLAIN_TEXT);
}

/**
 * Estimated prompt tokens: for each message 4 + its text tokens (+ name, + tool-call names and
 * arguments, + 85 per image part), plus 3, plus the JSON of `tools` when present.
 */
export function countPromptTokens(request: MockChatRequest): number {
  let total = TOKENS_PER_REPLY;
  for (const message of request.messages) total += countMessageTokens(message);
  if (request.tools !== undefined && request.tools.length > 0)
    total += countTextTokens(JSON.stringify(request.tools));
  return total;
}

/** Tokens of one message, overhead included. */
function countMessageTokens(message: MockChatMessage): number {
  let total =
    TOKENS_PER_MESSAGE +
    countTextTokens(messageText(message)) +
    countTextTokens(typeof message.name === 'string' ? message.name : '');
  if (Array.isArray(message.content)) {
    total += TOKENS_PER_IMAGE * message.content.filter((part) => part.type === 'image_url').length;
  }
  // Lenient on purpose: assistant history comes from arbitrary clients.
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    total +=
      countTextTokens(String(call?.function?.name ?? '')) +
      countTextTokens(String(call?.function?.arguments ?? ''));
  }
  return total;
}

/** The text of a message: its string content, or its `text` parts joined by newlines. */
export function messageText(message: MockChatMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((part) => typeof part.text === 'string')
    .map((part) => part.text)
    .join('\n');
}

/** Whether any message carries an image part. */
export function hasImageInput(request: MockChatRequest): boolean {
  return request.messages.some(
    (message) => Array.isArray(message.content) && message.content.some((part) => part.type === 'image_url'),
  );
}

/** The first `maxTokens` tokens of `text`, or undefined when the text already fits. */
export function truncateToTokens(text: string, maxTokens: number): string | undefined {
  const tokens = encode(text, PLAIN_TEXT);
  if (tokens.length <= maxTokens) return undefined;
  return decode(tokens.slice(0, Math.max(0, maxTokens)));
}
