import type { SwitchyardConfig } from '@switchyard/core';
import type { PlannedRoute } from './plan-probe.js';
import type { ProbeCapability, ProbeRequirement } from './probe-report.js';

/**
 * What a route needs of a target: a plain answer and streaming always; tool calls when `--require
 * tools` or one of its aliases declares `tools` in `capabilities`; JSON schema output when
 * `--require json`, its `validate` has `json` or `schema`, or an alias declares
 * `structured_outputs`; the context window with `--require context`.
 */
export function routeNeeds(input: {
  config: SwitchyardConfig;
  route: PlannedRoute;
  require: readonly ProbeRequirement[];
}): ProbeCapability[] {
  const { config, route } = input;
  const validate = config.routes?.[route.route]?.validate;
  const capabilities = route.targets.flatMap((target) => config.models?.[target.target]?.capabilities ?? []);
  const needs: ProbeCapability[] = ['plain', 'stream'];
  if (input.require.includes('tools') || capabilities.includes('tools')) needs.push('tools');
  if (
    input.require.includes('json') ||
    validate?.json === true ||
    validate?.schema !== undefined ||
    capabilities.includes('structured_outputs')
  ) {
    needs.push('json');
  }
  if (input.require.includes('context')) needs.push('context');
  return needs;
}
