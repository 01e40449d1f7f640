import { countTokens } from 'gpt-tokenizer';
import type { ChatRequest } from '../types/chat.js';
import type { Operation } from './operation.js';

/** Tokens a chat format adds per message (role markers), as OpenAI documents for its models. */
const TOKENS_PER_MESSAGE = 4;

/** What a request needs from a target, derived once per request. */
export interface RequestProfile {
  /** A chat completion, or embeddings: a target whose model serves only the other is skipped. */
  readonly operation: Operation;
  /** The request carries tools. */
  readonly tools: boolean;
  /** `response_format` asks for `json_object` or `json_schema`. */
  readonly responseFormat: 'json_object' | 'json_schema' | undefined;
  /** Some message carries an image. */
  readonly vision: boolean;
  /** Some message or content part carries `cache_control`: the prompt may be written to the provider's cache. */
  readonly cacheControl: boolean;
  /** `max_completion_tokens` or `max_tokens`, when set. */
  readonly maxTokens: number | undefined;
  /**
   * An upper bound of {@link contextTokens} that costs nothing to compute (UTF-8 bytes + overhead).
   */
  readonly promptTokensUpperBound: number;
  /** A cheap estimate for ranking (characters / 4 + overhead). */
  readonly promptTokensApprox: number;
  /** The prompt's tokens by a real tokenizer; computed on first use, then cached. */
  promptTokens(): number;
  /**
   * The tokens that must fit a model's context window: the whole prompt of a chat; the longest
   * input of an embeddings request (each input is embedded on its own).
   */
  contextTokens(): number;
}

function collectText(request: ChatRequest): { texts: string[]; vision: boolean; cacheControl: boolean } {
  const texts: string[] = [];
  let vision = false;
  let cacheControl = false;
  for (const message of request.messages) {
    const content = (message as { content?: unknown }).content;
    if ((message as { cache_control?: unknown }).cache_control !== undefined) cacheControl = true;
    if (typeof content === 'string') texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content as Array<{ type?: string; text?: string; cache_control?: unknown }>) {
        if (part.cache_control !== undefined) cacheControl = true;
        if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
        else if (part.type === 'image_url' || part.type === 'input_image') vision = true;
      }
    }
    const toolCalls = (message as { tool_calls?: Array<{ function?: { arguments?: string } }> }).tool_calls;
    if (Array.isArray(toolCalls)) {
      for (const call of toolCalls) texts.push(call.function?.arguments ?? '');
    }
  }
  if (Array.isArray(request.tools) && request.tools.length > 0) texts.push(JSON.stringify(request.tools));
  return { texts, vision, cacheControl };
}

/** Derives the {@link RequestProfile} of a request. */
export function profileRequest(request: ChatRequest): RequestProfile {
  const { texts, vision, cacheControl } = collectText(request);
  const overhead = request.messages.length * TOKENS_PER_MESSAGE + 3;
  let bytes = 0;
  let characters = 0;
  for (const text of texts) {
    characters += text.length;
    bytes += Buffer.byteLength(text, 'utf8');
  }
  const format = (request.response_format as { type?: string } | undefined)?.type;
  let counted: number | undefined;
  const promptTokens = (): number => {
    counted ??= texts.reduce((sum, text) => sum + countTokens(text), overhead);
    return counted;
  };
  return {
    operation: 'chat',
    tools: Array.isArray(request.tools) && request.tools.length > 0,
    responseFormat: format === 'json_object' || format === 'json_schema' ? format : undefined,
    vision,
    cacheControl,
    maxTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
    promptTokensUpperBound: bytes + overhead,
    promptTokensApprox: Math.ceil(characters / 4) + overhead,
    promptTokens,
    contextTokens: promptTokens,
  };
}
