import { embeddingVector, toBase64Embedding } from '@switchyard/mock-upstream';
import { describe, expect, it } from 'vitest';
import { decodeEmbedding, encodeEmbedding, withEncoding } from './embedding-encoding.js';

describe('embedding encodings', () => {
  it('encodes as OpenAI does (little-endian float32, base64) and decodes back to the same numbers', () => {
    const vector = embeddingVector('some words to embed', 64);
    const encoded = encodeEmbedding(vector);
    expect(encoded).toBe(toBase64Embedding(vector));
    expect(Buffer.from(encoded, 'base64')).toHaveLength(64 * 4);
    expect(decodeEmbedding(encoded)).toEqual(vector);
    // A double that is no float32 comes back as the nearest float32.
    expect(decodeEmbedding(encodeEmbedding([0.1]))).toEqual([Math.fround(0.1)]);
    expect(decodeEmbedding([1, 2])).toEqual([1, 2]);
  });

  it('converts each item to the encoding asked for, keeping those already in it', () => {
    const floats = { object: 'embedding' as const, index: 0, embedding: [0.5, -0.25] };
    const base64 = { object: 'embedding' as const, index: 1, embedding: encodeEmbedding([1, 0]) };
    expect(withEncoding([floats, base64], 'float')).toEqual([floats, { ...base64, embedding: [1, 0] }]);
    const encoded = withEncoding([floats, base64], 'base64');
    expect(encoded[0]?.embedding).toBe(encodeEmbedding([0.5, -0.25]));
    expect(encoded[1]).toBe(base64);
  });
});
