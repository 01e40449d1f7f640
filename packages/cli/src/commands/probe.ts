import { parseUsd } from '@switchyard/core';
import type { CliCommand, TextSink } from '../cli-command.js';
import { CliUsageError } from '../cli-usage-error.js';
import { parseIntegerFlag } from '../flag-values.js';
import { formatDollars } from '../format-dollars.js';
import { loadValidConfig } from '../load-config-file.js';
import { parseCommandFlags } from '../parse-command-flags.js';
import { type PlannedRoute, planProbe } from '../probe/plan-probe.js';
import {
  PROBE_CAPABILITIES,
  PROBE_REQUIREMENTS,
  type ProbeCheck,
  type ProbeReport,
  type ProbeRequirement,
} from '../probe/probe-report.js';
import { runProbe } from '../probe/run-probe.js';
import { renderTable } from '../table.js';
import { writeJson } from '../write-json.js';

/** The cost cap without `--max-cost`: a few cents. */
const DEFAULT_MAX_COST_USD = '0.05';

const USAGE = `Usage: switchyard probe [--config <file>] [--route <name>]... [--context] [--max-cost <usd>]
                       [--require tools,json,context] [--timeout-ms <n>] [--json]

Sends small real requests to every target of the chosen routes, one target at a time through the
same router the gateway uses, and prints a matrix target x capability: plain answer, streaming,
tool call round trip, JSON schema output, the declared context window (only with --context),
the model that served against the one configured (route surprise), the upstream provider, the
latency and the cost. The cost cap is printed first; a request whose worst case could take the
total past it is not sent. Exits 0 when every route has a target that passes what the route
needs, 1 when one has none (or the config is invalid), 2 for a usage mistake.

A route needs a plain answer and streaming; tool calls too when one of its aliases declares
capabilities: [tools] (or --require tools); JSON schema output when its validate has json or
schema, an alias declares structured_outputs (or --require json); the context window with
--require context. With validate: { expectedModel: true }, a target that served another model
does not pass.

Options:
  --config <file>         the configuration (default: $SWITCHYARD_CONFIG)
  --route <name>          a route to probe; repeat or comma-separate (default: every route)
  --context               also send one request near each target's declared context window
  --max-cost <usd>        the cost cap for the whole run (default ${DEFAULT_MAX_COST_USD})
  --require <list>        what every route needs on top of its own: tools, json, context
  --timeout-ms <n>        deadline of each request (default 30000)
  --json                  print JSON ({ maxCostUsd, spentUsd, ok, routes, targets })
  -h, --help              show this help

Example:
  switchyard probe --config switchyard.yaml --route default --max-cost 0.02`;

/** `switchyard probe`: test every target of a route for the capabilities it claims. */
export const probeCommand: CliCommand = {
  name: 'probe',
  summary: 'test every target of the routes: answers, streams, tools, JSON, context, cost',
  usage: USAGE,
  async run(context) {
    const { values } = parseCommandFlags({
      argv: context.argv,
      flags: {
        config: { type: 'string' },
        route: { type: 'string', multiple: true },
        context: { type: 'boolean' },
        'max-cost': { type: 'string' },
        require: { type: 'string' },
        'timeout-ms': { type: 'string' },
      },
    });
    if (values.help) {
      context.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const path = values.config ?? context.env.SWITCHYARD_CONFIG;
    if (path === undefined || path === '') {
      throw new CliUsageError('--config is required (or set SWITCHYARD_CONFIG)');
    }
    const maxCost = parseMaxCost(values['max-cost'] ?? DEFAULT_MAX_COST_USD);
    const require = parseRequire(values.require);
    const timeoutMs =
      values['timeout-ms'] === undefined
        ? undefined
        : parseIntegerFlag({
            flag: '--timeout-ms',
            text: values['timeout-ms'],
            min: 1,
            expected: 'a positive whole number of milliseconds',
          });
    const routes = (values.route ?? []).flatMap((entry) =>
      entry
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    );
    const config = await loadValidConfig({ path });
    let plan: PlannedRoute[];
    try {
      plan = planProbe(config, routes);
    } catch (error) {
      throw new CliUsageError(`--route: ${(error as Error).message}`);
    }
    const withContext = values.context === true || require.includes('context');
    if (!values.json) writeHeader({ sink: context.stdout, path, plan, maxCost, withContext });
    const report = await runProbe({
      config,
      plan,
      maxCost,
      context: withContext,
      require,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    if (values.json) writeJson(context.stdout, report);
    else writeReport(context.stdout, report);
    return report.ok ? 0 : 1;
  },
};

function parseMaxCost(text: string) {
  let amount: bigint;
  try {
    amount = parseUsd(text);
  } catch {
    throw new CliUsageError(`--max-cost must be a USD amount such as 0.05, got "${text}"`);
  }
  if (amount <= 0n) throw new CliUsageError(`--max-cost must be more than 0, got "${text}"`);
  return amount;
}

function parseRequire(text: string | undefined): ProbeRequirement[] {
  if (text === undefined) return [];
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!(PROBE_REQUIREMENTS as readonly string[]).includes(name)) {
      throw new CliUsageError(`--require takes ${PROBE_REQUIREMENTS.join(', ')}; got "${name}"`);
    }
  }
  return [...new Set(names)] as ProbeRequirement[];
}

function writeHeader(input: {
  sink: TextSink;
  path: string;
  plan: readonly PlannedRoute[];
  maxCost: bigint;
  withContext: boolean;
}): void {
  const probed = input.plan.filter((route) => route.passedOver === undefined);
  const targets = new Set(probed.flatMap((route) => route.targets.map((target) => target.target)));
  const routes = probed.length;
  input.sink.write(
    `Probing ${routes} route${routes === 1 ? '' : 's'} (${targets.size} target${targets.size === 1 ? '' : 's'}) of ${input.path}` +
      `${input.withContext ? ', context window included' : ''}.\n` +
      `Cost cap: ${formatDollars(input.maxCost)} (--max-cost): no request is sent that could take the total past it.\n\n`,
  );
}

const MARK: Record<ProbeCheck['status'], string> = {
  pass: 'pass',
  fail: 'FAIL',
  skipped: 'skip',
  not_run: '-',
};

function writeReport(sink: TextSink, report: ProbeReport): void {
  const byName = new Map(report.targets.map((target) => [target.target, target]));
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const route of report.routes) {
    for (const name of route.targets) {
      const target = byName.get(name);
      if (target === undefined) continue;
      const served =
        target.servedModel === null
          ? '-'
          : `${target.servedModel}${target.routeSurprise ? ' (surprise)' : ''}`;
      rows.push([
        route.route,
        target.target,
        `${target.provider} / ${target.model}`,
        ...PROBE_CAPABILITIES.map((capability) => MARK[target.checks[capability].status]),
        served,
        target.upstreamProvider ?? '-',
        target.latencyMs === null ? '-' : `${target.latencyMs} ms`,
        formatDollars(parseUsd(target.costUsd)),
      ]);
    }
  }
  for (const target of report.targets) {
    for (const capability of PROBE_CAPABILITIES) {
      const check = target.checks[capability];
      if ((check.status === 'fail' || check.status === 'skipped') && check.detail !== null) {
        notes.push(`  ${target.target} ${capability} ${MARK[check.status]}: ${check.detail}`);
      }
    }
    if (target.routeSurprise) {
      notes.push(
        `  ${target.target}: configured ${target.model}, served ${target.servedModel ?? '?'} (route surprise)`,
      );
    }
  }
  sink.write(
    renderTable({
      columns: [
        { header: 'route' },
        { header: 'target' },
        { header: 'provider / model' },
        ...PROBE_CAPABILITIES.map((capability) => ({ header: capability })),
        { header: 'served model' },
        { header: 'upstream' },
        { header: 'latency', align: 'right' as const },
        { header: 'cost', align: 'right' as const },
      ],
      rows,
    }),
  );
  if (notes.length > 0) sink.write(`\nWhy\n${notes.join('\n')}\n`);
  sink.write('\nRoutes\n');
  sink.write(
    renderTable({
      columns: [
        { header: 'route' },
        { header: 'needs' },
        { header: 'passing targets' },
        { header: 'verdict' },
      ],
      rows: report.routes.map((route) => [
        route.route,
        route.needs.join(', '),
        route.passing.length === 0 ? 'none' : route.passing.join(', '),
        route.passedOver === undefined
          ? route.ok
            ? 'ok'
            : 'NO PASSING TARGET'
          : `passed over: ${route.passedOver}`,
      ]),
    }),
  );
  sink.write(
    `\nSpent ${formatDollars(parseUsd(report.spentUsd))} of the ${formatDollars(parseUsd(report.maxCostUsd))} cap.\n`,
  );
}
