export { openAIErrorHandler, openAINotFound } from './openai-error-handler.js';
export type { OpenAIRouter } from './openai-router.js';
export { openAIRouter } from './openai-router.js';
export type { RequestCallOptions, SwitchyardRequestClient } from './request-client.js';
export type { SwitchyardMiddlewareOptions } from './switchyard-middleware.js';
export { switchyard } from './switchyard-middleware.js';
