export type { ChatSwitchyardSchema } from './chat-switchyard.js';
export { ChatSwitchyard } from './chat-switchyard.js';
export type {
  ChatSwitchyardCallOptions,
  ChatSwitchyardFields,
  OpenAITool,
  ResponseFormat,
} from './chat-switchyard-options.js';
export { isRetryableFailure, switchyardFailedAttemptHandler } from './retry-policy.js';
export type { SwitchyardResponseMetadata } from './routing-metadata.js';
export { switchyardMetadata } from './routing-metadata.js';
export type { StructuredOutputMethod } from './structured-output.js';
export type { SwitchyardEmbeddingsFields } from './switchyard-embeddings.js';
export { SwitchyardEmbeddings } from './switchyard-embeddings.js';
export { toOpenAIMessages } from './to-openai-messages.js';
