/**
 * What a call asks of a model: a chat completion (`router.chat`, `router.stream`) or embeddings
 * (`router.embed`). Both run the same resolve / plan / filter / attempt loop; the operation picks
 * the upstream endpoint, how the request is checked and profiled, and how the answer is read.
 */
export type Operation = 'chat' | 'embeddings';

/**
 * What a model does, from the config's `type` or the catalog's output modalities: a `chat` model
 * serves chat completions only, an `embedding` model embeddings only.
 */
export type ModelType = 'chat' | 'embedding';

/** The model type an operation needs. */
export const MODEL_TYPE_OF: Readonly<Record<Operation, ModelType>> = {
  chat: 'chat',
  embeddings: 'embedding',
};
