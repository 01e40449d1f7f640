export { CUT_MESSAGE, logCutsTo } from './cut-log.js';
export type { GatewaySuiteOptions } from './define-gateway-suite.js';
export { defineGatewaySuite } from './define-gateway-suite.js';
export {
  ALLOWED_ORIGIN,
  buildSuiteConfig,
  EMBEDDING_PRICES,
  GATEWAY_KEYS,
  MODELS,
  PROVIDER_KEYS,
  SUITE_LIMITS,
} from './suite-config.js';
export type { GatewayUnderTest } from './suite-context.js';
