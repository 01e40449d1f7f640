import type { EmbeddingItem } from '../types/embeddings.js';

/** The format OpenAI's `encoding_format` names: arrays of numbers, or base64 of float32 bytes. */
export type EmbeddingEncoding = 'float' | 'base64';

/**
 * A vector as OpenAI sends it with `encoding_format: "base64"`: its components as little-endian
 * float32, base64-encoded (what the `openai` SDK asks for by default, and decodes).
 */
export function encodeEmbedding(vector: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let index = 0; index < vector.length; index += 1)
    bytes.writeFloatLE(vector[index] as number, index * 4);
  return bytes.toString('base64');
}

/** The numbers of an embedding: as they are, or decoded from base64 little-endian float32. */
export function decodeEmbedding(embedding: readonly number[] | string): number[] {
  if (typeof embedding !== 'string') return [...embedding];
  const bytes = Buffer.from(embedding, 'base64');
  const vector = new Array<number>(Math.floor(bytes.length / 4));
  for (let index = 0; index < vector.length; index += 1) vector[index] = bytes.readFloatLE(index * 4);
  return vector;
}

/**
 * The vectors of an answer in the encoding a caller asked for, whatever the upstream sent (one that
 * ignored `encoding_format`, or a base64 answer to a caller that wants numbers); items already in
 * that encoding are kept as they are.
 */
export function withEncoding(data: readonly EmbeddingItem[], encoding: EmbeddingEncoding): EmbeddingItem[] {
  return data.map((item) => {
    const { embedding } = item;
    if (encoding === 'base64')
      return typeof embedding === 'string' ? item : { ...item, embedding: encodeEmbedding(embedding) };
    return typeof embedding === 'string' ? { ...item, embedding: decodeEmbedding(embedding) } : item;
  });
}
