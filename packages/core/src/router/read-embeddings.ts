import type { FailureSource } from '../outcome/classify-failure.js';
import type { HeaderBag } from '../retry/retry-after.js';
import type { EmbeddingResponse } from '../types/embeddings.js';
import { invalidResponse, readAnswerBody } from './read-completion.js';

/**
 * Reads a 2xx embeddings body: an error body is the failure it names; an answer without one
 * vector (numbers, or a base64 string) per input is an `invalid_response`, so the router falls
 * back rather than hand the caller vectors that do not match its inputs.
 */
export function readEmbeddings(
  text: string,
  options: { source: FailureSource; headers: HeaderBag; inputs: number },
): EmbeddingResponse {
  const parsed = readAnswerBody<EmbeddingResponse>(text, options);
  const { data } = parsed;
  if (!Array.isArray(data) || data.length === 0) throw invalidResponse(options.source, 'no embeddings');
  if (data.length !== options.inputs) {
    throw invalidResponse(options.source, `${data.length} embeddings for ${options.inputs} inputs`);
  }
  for (const item of data) {
    const embedding = item?.embedding;
    if (!Array.isArray(embedding) && typeof embedding !== 'string')
      throw invalidResponse(options.source, 'an embedding is neither numbers nor a base64 string');
  }
  return parsed;
}
