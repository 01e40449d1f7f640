import { countTokens } from 'gpt-tokenizer';
import type { EmbeddingRequest } from '../types/embeddings.js';
import type { RequestProfile } from './request-profile.js';

/** The inputs of an embeddings request as a list: each a text, or the token ids of one. */
export function embeddingInputs(request: Pick<EmbeddingRequest, 'input'>): Array<string | number[]> {
  const { input } = request;
  if (typeof input === 'string') return [input];
  if (input.length > 0 && input.every((item) => typeof item === 'number')) return [input as number[]];
  return input as Array<string | number[]>;
}

/**
 * The {@link RequestProfile} of an embeddings request: its input tokens are its prompt (a token
 * array counts its ids), it has no completion (`maxTokens: 0`, so worst cases, budgets and
 * tokens-per-minute limits count the input only), and the longest input must fit the context.
 */
export function profileEmbeddings(request: EmbeddingRequest): RequestProfile {
  const inputs = embeddingInputs(request);
  let longestBytes = 0;
  let characters = 0;
  for (const input of inputs) {
    // A token id is one token: it counts as one "byte" of the cheap bound.
    const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
    longestBytes = Math.max(longestBytes, size);
    characters += typeof input === 'string' ? input.length : input.length * 4;
  }
  let counts: number[] | undefined;
  const tokensOfEach = (): number[] => {
    counts ??= inputs.map((input) => (typeof input === 'string' ? countTokens(input) : input.length));
    return counts;
  };
  return {
    operation: 'embeddings',
    tools: false,
    responseFormat: undefined,
    vision: false,
    cacheControl: false,
    maxTokens: 0,
    promptTokensUpperBound: longestBytes,
    promptTokensApprox: Math.ceil(characters / 4),
    promptTokens: () => tokensOfEach().reduce((sum, count) => sum + count, 0),
    contextTokens: () => Math.max(0, ...tokensOfEach()),
  };
}
