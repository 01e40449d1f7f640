import {
  createSpendTotals,
  isRouteSurprise,
  type LedgerEntry,
  type LedgerOutcome,
  type Operation,
} from '@switchyard/core';

/** One attempt of a request, as the ledger kept it. */
export interface AttemptSummary {
  /** Its number within the request, from 1 (0: a cache hit, which ran none). */
  attempt: number;
  /** ISO time it settled. */
  time: string;
  target: string;
  provider: string;
  /** The model id sent upstream. */
  model: string;
  /** The model the upstream says served. */
  servedModel: string | undefined;
  outcome: LedgerOutcome;
  /** Exact USD, fee included. */
  costUsd: string;
  promptTokens: number;
  completionTokens: number;
  /** True when the cost is an estimate (no usage reported). */
  estimated: boolean;
  latencyMs: number | undefined;
}

/** One request, put together from its ledger entries (every replica's, on Redis). */
export interface RequestSummary {
  requestId: string;
  /** ISO time its first attempt settled. */
  time: string;
  key: string | undefined;
  user: string | undefined;
  tags: readonly string[];
  route: string | undefined;
  operation: Operation;
  door: string | undefined;
  /**
   * `success`, `cache_hit`, or the outcome code of its last attempt when none served (a request
   * refused before any attempt, e.g. by a budget, has no ledger entry).
   */
  outcome: LedgerOutcome;
  /** The attempt that served, when one did. */
  served: { target: string; provider: string; model: string; servedModel: string | undefined } | undefined;
  /** A failed attempt handed the request to another target. */
  fallback: boolean;
  /** A cascade moved on because a validator rejected an answer (`bad_output`). */
  escalated: boolean;
  /** The upstream served another model than the one sent. */
  routeSurprise: boolean;
  /** Exact USD over every attempt. */
  costUsd: string;
  /** On a cache hit: what the cached answer had cost. */
  savedUsd: string | undefined;
  promptTokens: number;
  completionTokens: number;
  /** The serving attempt's latency (or the last attempt's), in ms. */
  latencyMs: number | undefined;
  attempts: AttemptSummary[];
}

/** How a route orders its targets, to tell a cascade's escalation from a fallback. */
export type StrategyOf = (route: string | undefined) => string | undefined;

const served = (outcome: LedgerOutcome): boolean => outcome === 'success' || outcome === 'cache_hit';

function summarize(entries: LedgerEntry[], strategyOf: StrategyOf): RequestSummary {
  entries.sort((a, b) => a.attempt - b.attempt);
  const first = entries[0] as LedgerEntry;
  const winner = entries.find((entry) => served(entry.outcome));
  const last = entries.at(-1) as LedgerEntry;
  const cascade = strategyOf(first.route) === 'cascade';
  let fallback = false;
  let escalated = false;
  entries.forEach((entry, index) => {
    // A hedge's aborted loser hands nothing on; any other failure followed by another target does.
    if (served(entry.outcome) || entry.outcome === 'aborted' || entry.outcome === 'pending') return;
    if (!entries.slice(index + 1).some((later) => later.target !== entry.target)) return;
    if (cascade && entry.outcome === 'bad_output') escalated = true;
    else fallback = true;
  });
  const totals = createSpendTotals();
  for (const entry of entries) totals.add(entry);
  const summary = totals.summary();
  const times = entries.map((entry) => entry.time).sort();
  return {
    requestId: first.requestId,
    time: times[0] as string,
    key: first.key,
    user: first.user,
    tags: first.tags,
    route: first.route,
    operation: first.operation ?? 'chat',
    door: first.door,
    outcome: winner?.outcome ?? last.outcome,
    served:
      winner === undefined
        ? undefined
        : {
            target: winner.target,
            provider: winner.provider,
            model: winner.model,
            servedModel: winner.servedModel,
          },
    fallback,
    escalated,
    routeSurprise: winner !== undefined && isRouteSurprise(winner.model, winner.servedModel),
    costUsd: summary.costUsd,
    savedUsd: winner?.outcome === 'cache_hit' ? summary.savedUsd : undefined,
    promptTokens: summary.promptTokens,
    completionTokens: summary.completionTokens,
    latencyMs: (winner ?? last).latencyMs,
    attempts: entries.map((entry) => ({
      attempt: entry.attempt,
      time: entry.time,
      target: entry.target,
      provider: entry.provider,
      model: entry.model,
      servedModel: entry.servedModel,
      outcome: entry.outcome,
      costUsd: entry.costUsd,
      promptTokens: entry.promptTokens,
      completionTokens: entry.completionTokens,
      estimated: entry.estimated,
      latencyMs: entry.latencyMs,
    })),
  };
}

/**
 * Ledger entries grouped into requests by `requestId`, newest first (by the time of their first
 * attempt): the served target, fallback, escalation and route surprise, exact cost, and every attempt.
 */
export function summarizeRequests(
  entries: readonly LedgerEntry[],
  options: { strategyOf?: StrategyOf } = {},
): RequestSummary[] {
  const byRequest = new Map<string, LedgerEntry[]>();
  for (const entry of entries) {
    const list = byRequest.get(entry.requestId);
    if (list === undefined) byRequest.set(entry.requestId, [entry]);
    else list.push(entry);
  }
  const strategyOf = options.strategyOf ?? (() => undefined);
  return [...byRequest.values()]
    .map((list) => summarize(list, strategyOf))
    .sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : a.requestId < b.requestId ? 1 : -1));
}
