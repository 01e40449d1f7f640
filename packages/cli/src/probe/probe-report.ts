/** What the probe checks on each target, in the matrix's order. */
export const PROBE_CAPABILITIES = ['plain', 'stream', 'tools', 'json', 'context'] as const;

/** One capability: a plain answer, streaming, a tool round trip, JSON schema output, the context window. */
export type ProbeCapability = (typeof PROBE_CAPABILITIES)[number];

/** What `--require` may add to what every route needs (plain and stream). */
export const PROBE_REQUIREMENTS = ['tools', 'json', 'context'] as const;

/** A capability `--require` may name. */
export type ProbeRequirement = (typeof PROBE_REQUIREMENTS)[number];

/**
 * How a check ended: `pass`; `fail` (the target answered wrongly or failed); `skipped` (not sent:
 * over the cost cap, unpriced, a capability the config or catalog says it lacks, no declared
 * context window); `not_run` (the context check without `--context`).
 */
export type ProbeStatus = 'pass' | 'fail' | 'skipped' | 'not_run';

/** One check of one target. */
export interface ProbeCheck {
  status: ProbeStatus;
  /** Why it failed or was skipped (or what passed, for the context check); null otherwise. */
  detail: string | null;
  /** What its requests cost, USD as an exact decimal string. */
  costUsd: string;
  /** Wall time of its requests, in ms; null when none was sent. */
  latencyMs: number | null;
}

/** One target of the probed routes, probed once even when several routes name it. */
export interface ProbeTargetReport {
  /** The name routes list it under: an alias, or a raw model id. */
  target: string;
  provider: string;
  /** The model id configured (sent upstream). */
  model: string;
  /** The declared context window, when known. */
  contextLength: number | null;
  /** The model the upstream said served, from the first answer; null when none came. */
  servedModel: string | null;
  /** Whether any answer came from another model than the one configured. */
  routeSurprise: boolean;
  /** The upstream's provider name (OpenRouter's `provider`), when it sent one. */
  upstreamProvider: string | null;
  /** The plain check's latency in ms. */
  latencyMs: number | null;
  /** Every check's cost, summed. */
  costUsd: string;
  checks: Record<ProbeCapability, ProbeCheck>;
}

/** One probed route: what it needs, and which of its targets pass all of it. */
export interface ProbeRouteReport {
  route: string;
  /** The checks a target must pass for the route (see the CLI README: what a route needs). */
  needs: ProbeCapability[];
  /** Its model targets, nested routes flattened, in configuration order. */
  targets: string[];
  /** The targets that pass every check the route needs. */
  passing: string[];
  /** Whether at least one target passes (true for a route passed over). */
  ok: boolean;
  /** Why the probe passed over the route without a request (it serves embeddings); absent otherwise. */
  passedOver?: string;
}

/** What `switchyard probe` found (its `--json` output). */
export interface ProbeReport {
  /** The cost cap, USD. */
  maxCostUsd: string;
  /** What every request cost in all, USD (never more than the cap, unless an upstream billed past `max_tokens`). */
  spentUsd: string;
  /** Whether the context check ran (`--context`). */
  context: boolean;
  /** What `--require` added. */
  require: ProbeRequirement[];
  /** Whether every probed route has a passing target. */
  ok: boolean;
  routes: ProbeRouteReport[];
  targets: ProbeTargetReport[];
}
