export type { AdminApi, AdminApiOptions } from './admin-api.js';
export { checkAdminKey, createAdminApi, MIN_ADMIN_KEY_LENGTH, REQUEST_OUTCOMES } from './admin-api.js';
export type { DashboardPage, DashboardPageOptions } from './dashboard-page.js';
export { createDashboardPage } from './dashboard-page.js';
export type { AttemptSummary, RequestSummary, StrategyOf } from './request-summary.js';
export { summarizeRequests } from './request-summary.js';
export type { RoutesReport, RouteTargetState } from './routes-report.js';
export { routesReport } from './routes-report.js';
export type {
  LatencyPercentiles,
  RequestStats,
  SpendReport,
  SpendReportGrouping,
  SpendSeries,
} from './spend-report.js';
export { defaultBucketMs, MAX_BUCKETS, SPEND_GROUPINGS, spendReport } from './spend-report.js';
