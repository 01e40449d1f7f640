export { InjectSwitchyard } from './inject-switchyard.js';
export type { LlmBudgetOptions } from './llm-budget.js';
export { LLM_BUDGET_METADATA, LlmBudget } from './llm-budget.js';
export type { OpenAIController, OpenAIControllerOptions } from './openai-controller.js';
export { createOpenAIController } from './openai-controller.js';
export { SwitchyardExceptionFilter } from './switchyard-exception-filter.js';
export { SwitchyardInterceptor } from './switchyard-interceptor.js';
export { SwitchyardModule } from './switchyard-module.js';
export type {
  SwitchyardModuleAsyncOptions,
  SwitchyardModuleExtras,
  SwitchyardModuleForRootOptions,
} from './switchyard-module-definition.js';
export { SWITCHYARD_MODULE_OPTIONS } from './switchyard-module-definition.js';
export type { SwitchyardModuleOptions } from './switchyard-module-options.js';
export type { SwitchyardOptionsFactory } from './switchyard-options-factory.js';
export type {
  SwitchyardCallOptions,
  SwitchyardChatRequest,
  SwitchyardEmbeddingRequest,
} from './switchyard-service.js';
export { SwitchyardService } from './switchyard-service.js';
export { SWITCHYARD_ROUTER } from './switchyard-tokens.js';
export type { UseRouteMetadata, UseRouteOptions } from './use-route.js';
export { USE_ROUTE_METADATA, UseRoute } from './use-route.js';
