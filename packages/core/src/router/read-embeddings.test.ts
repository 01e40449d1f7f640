import { describe, expect, it } from 'vitest';
import { AttemptError } from '../errors/attempt-error.js';
import { readEmbeddings } from './read-embeddings.js';

const source = { label: 'small (up/acme/embed)', secrets: [], now: 0 };
const read = (body: unknown, inputs = 1) =>
  readEmbeddings(typeof body === 'string' ? body : JSON.stringify(body), { source, headers: {}, inputs });
const failure = (body: unknown, inputs = 1): AttemptError => {
  try {
    read(body, inputs);
  } catch (error) {
    return error as AttemptError;
  }
  throw new Error('expected a failure');
};

const answer = (embeddings: unknown[]) => ({
  object: 'list',
  model: 'acme/embed',
  data: embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })),
  usage: { prompt_tokens: 2, total_tokens: 2 },
});

describe('readEmbeddings', () => {
  it('reads one vector per input, as numbers or base64', () => {
    expect(read(answer([[0.5, 0.5], 'AAAAAA==']), 2).data).toHaveLength(2);
  });

  it('fails an answer that is not JSON, an error body, no vectors, or vectors that do not match the inputs', () => {
    expect(failure('{')).toMatchObject({
      code: 'invalid_response',
      message: `${source.label} sent an invalid answer: body is not JSON`,
    });
    expect(failure({ error: { code: 503, message: 'down' } })).toMatchObject({
      code: 'upstream_unavailable',
    });
    expect(failure(answer([]))).toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('no embeddings'),
    });
    expect(failure(answer([[1]]), 2).message).toContain('1 embeddings for 2 inputs');
    expect(failure(answer([{ not: 'a vector' }])).message).toContain('neither numbers nor a base64 string');
    expect(failure({ ...answer([[1]]), data: undefined })).toBeInstanceOf(AttemptError);
  });
});
