export type { BannerCurl, DemoBannerOptions } from './demo-banner.js';
export { demoBanner } from './demo-banner.js';
export {
  BACKUP_EMBEDDING_MODEL,
  CHEAP_MODEL,
  DEMO_KEY,
  demoConfig,
  EMBEDDING_MODEL,
  PREMIUM_MODEL,
} from './demo-config.js';
export { startEmbeddedUpstream } from './embedded-upstream.js';
export type { Summary } from './summary-schema.js';
export { SUMMARIZE_INSTRUCTION, SummarySchema, summaryText } from './summary-schema.js';
