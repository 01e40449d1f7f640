export { openAIErrors, renderOpenAIError } from './openai-errors.js';
export type { OpenAIRoutesOptions } from './openai-routes.js';
export { openAIRoutes } from './openai-routes.js';
export type { ClientCallOptions, SwitchyardClient } from './switchyard-client.js';
export type { SwitchyardMiddlewareOptions } from './switchyard-middleware.js';
export { switchyard } from './switchyard-middleware.js';
