import type { RoutingTrace } from '@switchyard/core';

/**
 * What Switchyard adds to an answer's `response_metadata`: who served it, how it was routed and
 * what the whole request cost. On a stream it rides on the last chunk (so that LangChain's chunk
 * merging, which adds numbers and concatenates strings, keeps it intact).
 */
export interface SwitchyardResponseMetadata {
  /** The model that served, as the upstream named it (`trace.served.returnedModel`). */
  model_name: string | undefined;
  /** The provider of the target that served (the config's provider name). */
  provider: string | undefined;
  /** OpenRouter's name of the underlying provider, when the upstream gave one. */
  upstream_provider: string | undefined;
  /** The alias or model id of the target that served. */
  target: string | undefined;
  /** The route that handled the request, or undefined for an alias or a raw model id. */
  route: string | undefined;
  /** The route's strategy. */
  strategy: string | undefined;
  /** How many upstream attempts the request took, the serving one included. */
  attempts: number;
  /** True when a failed attempt moved the request to another target. */
  fallback: boolean;
  /** True when a cascade escalated because a validator rejected an answer. */
  escalated: boolean;
  /** True when the upstream served another model than the one sent. */
  route_surprise: boolean;
  /** The whole request's cost in USD, failed billed attempts and platform fees included (exact decimal). */
  cost_usd: string;
  /** Switchyard's id of the request (in the spend ledger and the router's hooks too). */
  request_id: string;
  /** The whole routing trace: every attempt with its outcome, latency, usage and cost. */
  trace: RoutingTrace;
}

/** The routing part of `response_metadata`, from a (complete) routing trace. */
export function routingMetadata(trace: RoutingTrace): SwitchyardResponseMetadata {
  return {
    model_name: trace.served?.returnedModel,
    provider: trace.served?.provider,
    upstream_provider: trace.served?.upstreamProvider,
    target: trace.served?.target,
    route: trace.route,
    strategy: trace.strategy,
    attempts: trace.attempts.length,
    fallback: trace.fallback,
    escalated: trace.escalated,
    route_surprise: trace.routeSurprise,
    cost_usd: trace.costUsd,
    request_id: trace.id,
    trace,
  };
}

/**
 * The Switchyard part of a message's `response_metadata` (an answer of `ChatSwitchyard`, or a
 * stream of its chunks merged), or undefined for a message that did not come through Switchyard.
 *
 * @example
 * const answer = await model.invoke('Hi');
 * switchyardMetadata(answer)?.cost_usd; // '0.000342'
 */
export function switchyardMetadata(message: {
  response_metadata?: Record<string, unknown>;
}): SwitchyardResponseMetadata | undefined {
  const metadata = message.response_metadata;
  if (
    metadata === undefined ||
    typeof metadata.request_id !== 'string' ||
    typeof metadata.trace !== 'object'
  ) {
    return undefined;
  }
  return metadata as unknown as SwitchyardResponseMetadata;
}
