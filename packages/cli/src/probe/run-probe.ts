import {
  type CallOptions,
  type ChatRequest,
  createRouter,
  estimateRequest,
  formatUsd,
  type Picodollars,
  parseUsd,
  RoutingError,
  type RoutingTrace,
  type SwitchyardConfig,
} from '@switchyard/core';
import { catalogOf, type PlannedRoute } from './plan-probe.js';
import type {
  ProbeCapability,
  ProbeCheck,
  ProbeReport,
  ProbeRequirement,
  ProbeRouteReport,
  ProbeStatus,
  ProbeTargetReport,
} from './probe-report.js';
import {
  contextRequest,
  jsonRequest,
  PROBE_MAX_TOKENS,
  plainRequest,
  schemaMismatch,
  toolCallRequest,
  toolResultRequest,
} from './probe-requests.js';
import { routeNeeds } from './route-needs.js';

/** Options of {@link runProbe}. */
export interface RunProbeOptions {
  config: SwitchyardConfig;
  /** From {@link planProbe}. */
  plan: readonly PlannedRoute[];
  /** The total no request may take the probe's spend past. */
  maxCost: Picodollars;
  /**
   * Whether to send one request near each target's declared context window.
   * @default false
   */
  context?: boolean;
  /** Capabilities every route needs on top of its own. */
  require?: readonly ProbeRequirement[];
  /**
   * Deadline of each request, in ms.
   * @default 30_000
   */
  timeoutMs?: number;
}

/** What one request ended as. */
type Sent =
  | { kind: 'ok'; trace: RoutingTrace; content: string | null; toolCalls: ToolCall[] }
  | { kind: 'skipped' | 'fail'; detail: string; trace: RoutingTrace | undefined };

interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A target being probed: its checks and what its answers said. */
interface TargetState {
  report: ProbeTargetReport;
  cost: Picodollars;
}

/**
 * Probes every target of the planned routes, one target at a time through the router the gateway
 * uses (each call pinned to its target with `CallOptions.target`), within the cost cap: each
 * request carries a budget of what is left of it, so the router refuses, before sending it, a
 * request whose worst case (prompt + `max_tokens`, priced, fee included) could take the total past
 * the cap. The router keeps its state in memory (a `store` section is ignored): the probe neither
 * reads nor adds to a fleet's budgets, limits or ledger.
 */
export async function runProbe(options: RunProbeOptions): Promise<ProbeReport> {
  const { config, plan, maxCost } = options;
  const requirements = [...(options.require ?? [])];
  const withContext = options.context === true || requirements.includes('context');
  const { store: _store, ...inMemory } = config;
  const router = createRouter({ config: inMemory });
  const counted = new WeakSet<RoutingTrace>();
  let spent = 0n;
  let calls = 0;
  const spend = (trace: RoutingTrace | undefined): void => {
    if (trace === undefined || counted.has(trace)) return;
    counted.add(trace);
    spent += parseUsd(trace.costUsd);
  };

  const send = async (input: { request: ChatRequest; target: string; stream?: boolean }): Promise<Sent> => {
    const left = maxCost - spent;
    if (left <= 0n) return { kind: 'skipped', detail: 'the cost cap is spent', trace: undefined };
    calls += 1;
    const callOptions: CallOptions = {
      target: input.target,
      cache: 'bypass',
      timeoutMs: options.timeoutMs ?? 30_000,
      budgets: [
        { scope: 'global', usd: formatUsd(left), period: 'month', name: `probe cost cap (request ${calls})` },
      ],
    };
    try {
      if (input.stream === true) {
        const stream = await router.stream(input.request, callOptions);
        let content = '';
        try {
          for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
        } finally {
          spend(stream.trace);
        }
        return { kind: 'ok', trace: stream.trace, content, toolCalls: [] };
      }
      const { response, trace } = await router.chat(input.request, callOptions);
      spend(trace);
      const message = response.choices[0]?.message;
      const toolCalls = (message?.tool_calls ?? []).flatMap((call) =>
        call.type === 'function'
          ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
          : [],
      );
      return { kind: 'ok', trace, content: message?.content ?? null, toolCalls };
    } catch (error) {
      if (!RoutingError.isInstance(error)) {
        return {
          kind: 'fail',
          detail: error instanceof Error ? error.message : String(error),
          trace: undefined,
        };
      }
      spend(error.trace);
      return { ...describeRefusal(error, left), trace: error.trace };
    }
  };

  const states = new Map<string, TargetState>();
  try {
    for (const route of plan) {
      if (route.passedOver !== undefined) continue;
      for (const target of route.targets) {
        if (states.has(target.target)) continue;
        const state = newState(target);
        states.set(target.target, state);
        await probeTarget({
          state,
          route: route.route,
          send,
          withContext,
          config,
          left: () => maxCost - spent,
        });
      }
    }
  } finally {
    await router.close();
  }

  const routes = plan.map((route): ProbeRouteReport => {
    if (route.passedOver !== undefined) {
      const targets = route.targets.map((target) => target.target);
      return { route: route.route, needs: [], targets, passing: [], ok: true, passedOver: route.passedOver };
    }
    const needs = routeNeeds({ config, route, require: requirements });
    const expectedModel = config.routes?.[route.route]?.validate?.expectedModel === true;
    const passing = route.targets
      .map((target) => states.get(target.target)?.report)
      .filter((report): report is ProbeTargetReport => report !== undefined)
      .filter((report) => needs.every((need) => report.checks[need].status === 'pass'))
      .filter((report) => !(expectedModel && report.routeSurprise))
      .map((report) => report.target);
    return {
      route: route.route,
      needs,
      targets: route.targets.map((target) => target.target),
      passing,
      ok: passing.length > 0,
    };
  });
  return {
    maxCostUsd: formatUsd(maxCost),
    spentUsd: formatUsd(spent),
    context: withContext,
    require: requirements,
    ok: routes.every((route) => route.ok),
    routes,
    targets: [...states.values()].map((state) => ({ ...state.report, costUsd: formatUsd(state.cost) })),
  };
}

function newState(target: PlannedRoute['targets'][number]): TargetState {
  const pending = (): ProbeCheck => ({ status: 'not_run', detail: null, costUsd: '0', latencyMs: null });
  return {
    cost: 0n,
    report: {
      target: target.target,
      provider: target.provider,
      model: target.model,
      contextLength: target.contextLength ?? null,
      servedModel: null,
      routeSurprise: false,
      upstreamProvider: null,
      latencyMs: null,
      costUsd: '0',
      checks: { plain: pending(), stream: pending(), tools: pending(), json: pending(), context: pending() },
    },
  };
}

type Send = (input: { request: ChatRequest; target: string; stream?: boolean }) => Promise<Sent>;

/** Runs every check on one target, through `route`. */
async function probeTarget(input: {
  state: TargetState;
  route: string;
  send: Send;
  withContext: boolean;
  /** What is left of the cost cap now. */
  left: () => Picodollars;
  config: SwitchyardConfig;
}): Promise<void> {
  const { state, route } = input;
  const { report } = state;
  const target = report.target;
  /** Records what a check's requests said: money, latency, the served model. */
  const check = (
    capability: ProbeCapability,
    sent: readonly Sent[],
    verdict: { status: ProbeStatus; detail: string | null },
  ) => {
    let cost = 0n;
    let latency: number | null = null;
    for (const one of sent) {
      if (one.trace === undefined) continue;
      cost += parseUsd(one.trace.costUsd);
      latency = (latency ?? 0) + one.trace.latencyMs;
      const served = one.kind === 'ok' ? one.trace.served : undefined;
      if (served !== undefined) {
        report.servedModel ??= served.returnedModel;
        report.upstreamProvider ??= served.upstreamProvider ?? null;
        if (one.trace.routeSurprise) report.routeSurprise = true;
      }
    }
    state.cost += cost;
    report.checks[capability] = {
      ...verdict,
      costUsd: formatUsd(cost),
      latencyMs: latency === null ? null : Math.round(latency),
    };
  };
  const unanswered = (sent: Exclude<Sent, { kind: 'ok' }>) => ({ status: sent.kind, detail: sent.detail });

  const plain = await input.send({ request: plainRequest(route), target });
  check('plain', [plain], plain.kind !== 'ok' ? unanswered(plain) : textVerdict(plain));
  report.latencyMs = report.checks.plain.latencyMs;

  const streamed = await input.send({ request: plainRequest(route), target, stream: true });
  check('stream', [streamed], streamed.kind !== 'ok' ? unanswered(streamed) : textVerdict(streamed));

  const asked = await input.send({ request: toolCallRequest(route), target });
  if (asked.kind !== 'ok') check('tools', [asked], unanswered(asked));
  else {
    const call = asked.toolCalls[0];
    const problem = toolCallProblem(call, asked.content);
    if (problem !== undefined || call === undefined)
      check('tools', [asked], { status: 'fail', detail: problem ?? null });
    else {
      const answered = await input.send({ request: toolResultRequest(route, call), target });
      check(
        'tools',
        [asked, answered],
        answered.kind !== 'ok'
          ? { status: answered.kind, detail: `the tool result was not answered: ${answered.detail}` }
          : textVerdict(answered, 'no answer after the tool result'),
      );
    }
  }

  const json = await input.send({ request: jsonRequest(route), target });
  check('json', [json], json.kind !== 'ok' ? unanswered(json) : jsonVerdict(json.content));

  if (!input.withContext) {
    report.checks.context = {
      status: 'not_run',
      detail: 'run with --context',
      costUsd: '0',
      latencyMs: null,
    };
    return;
  }
  if (report.contextLength === null) {
    report.checks.context = {
      status: 'skipped',
      detail: 'no declared context window',
      costUsd: '0',
      latencyMs: null,
    };
    return;
  }
  const near = nearContextRequest({
    config: input.config,
    route,
    target,
    contextLength: report.contextLength,
    left: input.left(),
  });
  if ('skip' in near) {
    report.checks.context = { status: 'skipped', detail: near.skip, costUsd: '0', latencyMs: null };
    return;
  }
  const sent = await input.send({ request: near.request, target });
  check(
    'context',
    [sent],
    sent.kind !== 'ok'
      ? unanswered(sent)
      : { status: 'pass', detail: `${near.promptTokens} prompt tokens of ${report.contextLength}` },
  );
}

function textVerdict(
  sent: Sent & { kind: 'ok' },
  empty = 'an empty answer',
): { status: ProbeStatus; detail: string | null } {
  if (typeof sent.content === 'string' && sent.content.trim() !== '') return { status: 'pass', detail: null };
  return { status: 'fail', detail: empty };
}

/** Why the first half of the tool round trip went wrong, or undefined. */
function toolCallProblem(call: ToolCall | undefined, content: string | null): string | undefined {
  if (call === undefined) {
    return content === null || content.trim() === ''
      ? 'no tool call and no answer'
      : 'answered in text without calling get_time';
  }
  if (call.name !== 'get_time') return `called "${call.name}" instead of get_time`;
  try {
    const parsed: unknown = JSON.parse(call.arguments);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return 'called get_time with arguments that are not a JSON object';
    }
  } catch {
    return `called get_time with arguments that are not JSON: ${clip(call.arguments)}`;
  }
  return undefined;
}

function jsonVerdict(content: string | null): { status: ProbeStatus; detail: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content ?? '');
  } catch {
    return { status: 'fail', detail: `the answer is not JSON: ${clip(content ?? '')}` };
  }
  const mismatch = schemaMismatch(parsed);
  return mismatch === undefined
    ? { status: 'pass', detail: null }
    : { status: 'fail', detail: `does not fit the schema: ${mismatch}` };
}

/**
 * A request whose prompt fills about 95% of the context window, less the answer's room; or, when
 * its worst case (extrapolated exactly from two small samples) is already over what is left of the
 * cap, why it is not built at all (a prompt of a million words costs memory and time to count).
 */
function nearContextRequest(input: {
  config: SwitchyardConfig;
  route: string;
  target: string;
  contextLength: number;
  left: Picodollars;
}): { request: ChatRequest; promptTokens: number } | { skip: string } {
  const goal = Math.floor(input.contextLength * 0.95) - PROBE_MAX_TOKENS.context;
  const estimateOf = (words: number) => {
    const estimates = estimateRequest({
      config: input.config,
      catalog: catalogOf(input.config),
      request: contextRequest(input.route, words),
    });
    const found = estimates.find((estimate) => estimate.target === input.target);
    return {
      tokens: found?.promptTokens ?? words,
      worst: found?.worstCaseUsd === undefined ? undefined : parseUsd(found.worstCaseUsd),
    };
  };
  // Calibrate tokens (and money) per filler word on two samples: both are linear in the prompt.
  const base = estimateOf(0);
  const sample = estimateOf(1000);
  const perWord = Math.max(1, (sample.tokens - base.tokens) / 1000);
  if (base.worst !== undefined && sample.worst !== undefined && sample.tokens > base.tokens) {
    const perToken = sample.worst - base.worst;
    const worst = base.worst + (perToken * BigInt(goal - base.tokens)) / BigInt(sample.tokens - base.tokens);
    if (worst > input.left) {
      return {
        skip: `over the cost cap: could cost about $${formatUsd(worst)}, $${formatUsd(input.left)} left`,
      };
    }
  }
  let words = Math.max(0, Math.floor((goal - base.tokens) / perWord));
  let tokens = estimateOf(words).tokens;
  if (tokens > goal) {
    words = Math.max(0, words - Math.ceil((tokens - goal) / perWord));
    tokens = estimateOf(words).tokens;
  }
  return { request: contextRequest(input.route, words), promptTokens: tokens };
}

/** Why the router sent nothing or got no answer, in one line. */
function describeRefusal(
  error: RoutingError,
  left: Picodollars,
): { kind: 'skipped' | 'fail'; detail: string } {
  const { trace } = error;
  if (error.code === 'budget_exceeded') {
    const needed = error.budget?.neededUsd;
    return {
      kind: 'skipped',
      detail: `over the cost cap: could cost up to $${needed ?? '?'}, $${formatUsd(left)} left`,
    };
  }
  if (error.code === 'unpriced_model') {
    return {
      kind: 'skipped',
      detail:
        'unpriced: the cost cap cannot bound it (give the alias a pricing, or unpriced: { worstCaseUsd })',
    };
  }
  const last = trace.attempts[trace.attempts.length - 1];
  if (last === undefined) {
    const skip = trace.skipped[0];
    if (skip !== undefined)
      return { kind: 'skipped', detail: `${skip.reason}${skip.detail ? `: ${skip.detail}` : ''}` };
    return { kind: 'fail', detail: `${error.code}: ${error.message}` };
  }
  const status = last.status === undefined ? '' : ` (HTTP ${last.status})`;
  const message = last.message?.startsWith(`${last.outcome}:`)
    ? last.message.slice(last.outcome.length + 1).trim()
    : last.message;
  return { kind: 'fail', detail: `${last.outcome}${status}${message ? `: ${message}` : ''}` };
}

function clip(text: string, length = 60): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
