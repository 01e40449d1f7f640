export type { CliCommand, CommandContext, TextSink } from './cli-command.js';
export { CLI_COMMANDS } from './cli-commands.js';
export { CliUsageError } from './cli-usage-error.js';
export type { CapacityRow, CapacityRowsOptions, CapacityVerdict, TierFit } from './cost/capacity-rows.js';
export { computeCapacityRows, describeCapacityVerdict } from './cost/capacity-rows.js';
export type { FeeRow, FeeRowsOptions } from './cost/fee-rows.js';
export { computeFeeRows } from './cost/fee-rows.js';
export type { MixRow, MixRowsOptions, RoutingPolicy } from './cost/mix-rows.js';
export { computeMixRows, ROUTING_POLICIES, ROUTING_POLICY_LABELS } from './cost/mix-rows.js';
export type { OpenRouterFreeLimits } from './cost/openrouter-free-limits.js';
export { OPENROUTER_FREE_LIMITS } from './cost/openrouter-free-limits.js';
export type { FixedDecimal } from './fixed-decimal.js';
export { FIXED_ONE, formatFixedDecimal, parseFixedDecimal } from './fixed-decimal.js';
export type { PlannedRoute } from './probe/plan-probe.js';
export { planProbe } from './probe/plan-probe.js';
export type {
  ProbeCapability,
  ProbeCheck,
  ProbeReport,
  ProbeRequirement,
  ProbeRouteReport,
  ProbeStatus,
  ProbeTargetReport,
} from './probe/probe-report.js';
export { PROBE_CAPABILITIES, PROBE_REQUIREMENTS } from './probe/probe-report.js';
export { routeNeeds } from './probe/route-needs.js';
export type { RunProbeOptions } from './probe/run-probe.js';
export { runProbe } from './probe/run-probe.js';
export type { RunCliOptions } from './run-cli.js';
export { runCli } from './run-cli.js';
export type { TableColumn, TableOptions } from './table.js';
export { renderTable } from './table.js';
