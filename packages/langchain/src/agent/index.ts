export type { SwitchyardMiddlewareOptions } from './switchyard-middleware.js';
export { switchyardMiddleware } from './switchyard-middleware.js';
