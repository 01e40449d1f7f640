import type { MockChatRequest } from './mock-chat-request.js';
import { messageText } from './token-counter.js';

/** Longest excerpt of the user's message echoed back. */
const EXCERPT_LENGTH = 120;

/** Options of {@link defaultReplyText}. */
export interface DefaultReplyInput {
  /** The request being answered. */
  request: MockChatRequest;
  /** Model named in the response. */
  servedModel: string;
}

/**
 * The deterministic default reply. After a `tool` message it repeats the tool's result; otherwise
 * it echoes an excerpt of the last user message:
 * `Mock reply from openai/gpt-4o-mini: you said "Hello there".`
 */
export function defaultReplyText(input: DefaultReplyInput): string {
  const { messages } = input.request;
  const last = messages[messages.length - 1];
  if (last?.role === 'tool') return `The tool returned: ${messageText(last)}`;
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  const excerpt = messageText(lastUser).replace(/\s+/g, ' ').trim().slice(0, EXCERPT_LENGTH);
  return excerpt === ''
    ? `Mock reply from ${input.servedModel}: hello there.`
    : `Mock reply from ${input.servedModel}: you said "${excerpt}".`;
}

/** The first half of the words of a text (at least one word): what a failed generation produced. */
export function firstHalf(text: string): string {
  const words = splitIntoPieces(text);
  return words.slice(0, Math.max(1, Math.floor(words.length / 2))).join('');
}

/** Splits a text into word pieces that keep their trailing whitespace (joined, they give the text back). */
export function splitIntoPieces(text: string): string[] {
  const pieces = text.match(/\s*\S+\s*/g);
  return pieces === null ? (text === '' ? [] : [text]) : pieces;
}
