import { MODEL_TYPE_OF } from './operation.js';
import type { RequestProfile } from './request-profile.js';
import type { ModelTarget, Target } from './target.js';

/** Why a model target cannot serve a request, found before calling it. */
export type FilterReason =
  | 'breaker_open'
  | 'capability:tools'
  | 'capability:vision'
  | 'capability:structured_outputs'
  | 'capability:response_format'
  | 'max_completion_tokens'
  | 'context_window'
  /** The model serves chat only; the request is for embeddings. */
  | 'chat_only'
  /** The model serves embeddings only; the request is a chat. */
  | 'embedding_only';

/**
 * Why a model target cannot serve this request, or undefined when it can: it serves the other
 * operation (a chat model asked for embeddings, or the reverse), its breaker is open, it lacks a
 * capability the request needs, or its context window cannot hold the prompt plus `max_tokens`
 * (for embeddings: the longest input). Unknown types, context windows and capabilities never exclude.
 */
export function skipReason(target: ModelTarget, profile: RequestProfile): FilterReason | undefined {
  if (target.type !== undefined && target.type !== MODEL_TYPE_OF[profile.operation])
    return target.type === 'chat' ? 'chat_only' : 'embedding_only';
  if (target.health.breaker?.state() === 'open') return 'breaker_open';
  const capabilities = target.capabilities;
  if (capabilities !== undefined) {
    if (profile.tools && !capabilities.has('tools')) return 'capability:tools';
    if (profile.vision && !capabilities.has('vision')) return 'capability:vision';
    if (profile.responseFormat === 'json_schema' && !capabilities.has('structured_outputs'))
      return 'capability:structured_outputs';
    if (
      profile.responseFormat === 'json_object' &&
      !capabilities.has('response_format') &&
      !capabilities.has('structured_outputs')
    )
      return 'capability:response_format';
  }
  const maxTokens = profile.maxTokens;
  if (
    maxTokens !== undefined &&
    target.maxCompletionTokens !== undefined &&
    maxTokens > target.maxCompletionTokens
  ) {
    return 'max_completion_tokens';
  }
  const context = target.contextLength;
  if (context !== undefined) {
    // A chat's answer needs a token at least; embeddings have none.
    const completion = maxTokens ?? 1;
    // The byte count bounds the token count from above: only a borderline prompt is tokenized.
    if (
      profile.promptTokensUpperBound + completion > context &&
      profile.contextTokens() + completion > context
    ) {
      return 'context_window';
    }
  }
  return undefined;
}

/**
 * True when the target (or, for a route, any of its targets) could serve the request; `excluded`
 * passes over model targets for a reason of the caller's (a provider policy they cannot honour).
 */
export function canServe(
  target: Target,
  profile: RequestProfile,
  excluded?: (target: ModelTarget) => boolean,
): boolean {
  if (target.kind === 'model')
    return skipReason(target, profile) === undefined && excluded?.(target) !== true;
  return target.entries.some((entry) => canServe(entry.target, profile, excluded));
}
