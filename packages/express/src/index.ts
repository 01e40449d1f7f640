export type { RequestCallOptions } from '@switchyard/core/node';
export { openAIErrorHandler, openAINotFound } from './openai-error-handler.js';
export type { OpenAIRouter } from './openai-router.js';
export { openAIRouter } from './openai-router.js';
export type { SwitchyardMiddlewareOptions, SwitchyardRequestClient } from './switchyard-middleware.js';
export { switchyard } from './switchyard-middleware.js';
