import { profileEmbeddings } from '../routing/embedding-profile.js';
import type { Operation } from '../routing/operation.js';
import { profileRequest, type RequestProfile } from '../routing/request-profile.js';
import type { ChatRequest } from '../types/chat.js';
import type { EmbeddingRequest } from '../types/embeddings.js';

/** How the router takes a request of one operation: what it must hold, and what it needs from a target. */
interface OperationRequests {
  /** Why the request cannot be routed (`model` is checked before), or undefined. */
  problem(request: ChatRequest & EmbeddingRequest): string | undefined;
  profile(request: ChatRequest & EmbeddingRequest): RequestProfile;
}

const isTokens = (value: unknown): boolean =>
  Array.isArray(value) && value.length > 0 && value.every((token) => Number.isInteger(token));

/** True for OpenAI's `input`: a string, strings, token ids, or arrays of token ids; never empty. */
function isEmbeddingInput(input: unknown): boolean {
  if (typeof input === 'string') return input !== '';
  if (!Array.isArray(input) || input.length === 0) return false;
  return (
    input.every((item) => typeof item === 'string' && item !== '') || isTokens(input) || input.every(isTokens)
  );
}

/** The router's side of each operation; the doors check their protocol's fields more closely. */
export const OPERATION_REQUESTS: Readonly<Record<Operation, OperationRequests>> = {
  chat: {
    problem: (request) =>
      !Array.isArray(request.messages) || request.messages.length === 0
        ? '"messages" must be a non-empty array'
        : undefined,
    profile: profileRequest,
  },
  embeddings: {
    problem: (request) =>
      isEmbeddingInput(request.input)
        ? undefined
        : '"input" must be a non-empty string, an array of non-empty strings, an array of token ids or an array of token arrays',
    profile: profileEmbeddings,
  },
};
