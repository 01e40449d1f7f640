/** One input of an embeddings request: a text, or the token ids of one. */
export type EmbeddingInput = string | readonly number[];

/** FNV-1a, 32 bits: a stable hash, the same on every machine and run. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The features of an input: its lower-cased words, or its token ids (as `#<id>`). */
function featuresOf(input: EmbeddingInput): string[] {
  if (typeof input !== 'string') return input.map((token) => `#${token}`);
  const words = input.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  // A text with no word (punctuation only) still gets a vector of its own.
  return words.length > 0 ? words : [input];
}

/**
 * A deterministic unit vector for an input, by feature hashing: each word adds ±1 to the dimension
 * its hash names, and the vector is scaled to length 1. Texts that share words point the same way,
 * so cosine similarity ranks them as a real model would roughly do (good enough for retrieval
 * tests), and the same text always gets the same vector. Components are float32 values, as real
 * embeddings are, so a float answer and a base64 one decode to the same numbers.
 */
export function embeddingVector(input: EmbeddingInput, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const feature of featuresOf(input)) {
    const hash = fnv1a(feature);
    const sign = (fnv1a(`${feature}\u0000sign`) & 1) === 0 ? 1 : -1;
    vector[hash % dimensions] = (vector[hash % dimensions] as number) + sign;
  }
  const length = Math.hypot(...vector);
  return vector.map((value) => Math.fround(length === 0 ? 0 : value / length));
}

/** A vector as OpenAI sends it with `encoding_format: "base64"`: little-endian float32, base64. */
export function toBase64Embedding(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [index, value] of vector.entries()) bytes.writeFloatLE(value, index * 4);
  return bytes.toString('base64');
}
