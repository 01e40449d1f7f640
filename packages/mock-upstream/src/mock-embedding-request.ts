/** The parsed body of an embeddings request, as the mock received it. */
export interface MockEmbeddingRequest {
  /** Requested model id (before alias resolution). */
  model: string;
  /** A text, texts, the token ids of one text, or the token ids of several. */
  input: string | string[] | number[] | number[][];
  /** Length of the vectors, for models that take it (at most the model's own). */
  dimensions?: number;
  /** `float` (arrays of numbers, the default) or `base64` (little-endian float32 bytes). */
  encoding_format?: 'float' | 'base64';
  /** End-user id (recorded, not acted upon). */
  user?: string;
  /** Any other field. */
  [key: string]: unknown;
}
