export type { SwitchyardHealthOptions } from './switchyard-health-indicator.js';
export { SwitchyardHealthIndicator } from './switchyard-health-indicator.js';
