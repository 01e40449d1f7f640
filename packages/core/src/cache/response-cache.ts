import type { Execution } from '../router/request-execution.js';
import { validateAnswer } from '../router/validate-answer.js';
import type { Target } from '../routing/target.js';
import { cacheHitLedgerEntry } from '../spend/cache-hit-ledger-entry.js';
import type { RateLimitGuard } from '../spend/rate-limit-guard.js';
import { assembleCompletion } from '../stream/assemble-completion.js';
import { isRouteSurprise } from '../trace/new-trace.js';
import type { AttemptTrace } from '../trace/routing-trace.js';
import type { ChatChunk, ChatRequest, ChatResponse } from '../types/chat.js';
import type { AnswerValidator } from '../validators/answer-validator.js';
import type { AnswerCache } from './answer-cache.js';
import { answerCacheKey } from './answer-cache-key.js';
import type { CacheMode } from './cache-mode.js';
import type { CachePolicies, CachePolicy } from './cache-policy.js';
import { type CachedAnswer, parseCachedAnswer, serializeCachedAnswer } from './cached-answer.js';

/** The operation chat answers are keyed under (embeddings and others get their own). */
const CHAT_OPERATION = 'chat';

/** What the cache found for a call: nothing to do, a key to fill, or an answer to serve. */
export type CacheLookup =
  | { readonly kind: 'bypass' }
  | { readonly kind: 'miss'; readonly key: string; readonly policy: CachePolicy }
  | {
      readonly kind: 'hit';
      readonly key: string;
      readonly policy: CachePolicy;
      readonly answer: CachedAnswer;
    };

/** A lookup that may store the answer the call gets. */
export type CacheFill = Exclude<CacheLookup, { kind: 'bypass' }>;

/** A hit served: the answer as the caller gets it (`usage.cost` 0) and what the validators parsed. */
export interface CacheHit {
  readonly response: ChatResponse;
  readonly parsed: unknown;
}

/**
 * The answer cache as the router uses it, around one {@link AnswerCache} store. `lookup` decides
 * per call (the route's policy, `Cache-Control`, whether the request is repeatable) and sets the
 * trace's `cache`; `serve` turns a hit into the call's answer, its ledger entry (`cache_hit`,
 * `savedUsd`) and, when configured, its rate-limit counts; `fill` stores an answer that was served
 * cleanly. A store that fails is a miss, never a failed request.
 */
export interface ResponseCache {
  lookup(input: {
    execution: Execution;
    root: Target;
    mode: CacheMode | undefined;
  }): CacheLookup | undefined | Promise<CacheLookup | undefined>;
  /**
   * Serves a hit, or returns undefined when it may not be used after all (a validator of this call
   * rejects it, or it is over a rate limit that counts hits): then the trace says `miss` and the
   * call is routed, its answer stored.
   */
  serve(input: {
    execution: Execution;
    hit: Extract<CacheLookup, { kind: 'hit' }>;
    validators: readonly AnswerValidator[];
  }): Promise<CacheHit | undefined>;
  /** Stores a whole answer of a successful attempt. */
  fill(input: {
    execution: Execution;
    lookup: CacheFill;
    response: ChatResponse;
    record: AttemptTrace;
  }): void;
  /** Stores the answer of a stream that completed, from its chunks (one choice only). */
  fillFromStream(input: {
    execution: Execution;
    lookup: CacheFill;
    chunks: readonly ChatChunk[];
    record: AttemptTrace;
  }): void;
}

const ignore = (): undefined => undefined;

/**
 * The chat request of a cached call: the cache serves chats only (`router.embed` never looks it
 * up), so an execution that reaches it carries a {@link ChatRequest}.
 */
const chatOf = (execution: Execution): ChatRequest => execution.request as ChatRequest;

/** `temperature` above 0 or `n` above 1: the same request may get another answer. */
function isNondeterministic(request: ChatRequest): boolean {
  return (
    (typeof request.temperature === 'number' && request.temperature > 0) ||
    (typeof request.n === 'number' && request.n > 1)
  );
}

/** Creates the router's {@link ResponseCache}. */
export function createResponseCache(options: {
  policies: CachePolicies;
  store: AnswerCache;
  /** The rate limits, for hits of routes that count them (`countHitsInLimits`). */
  limits: RateLimitGuard;
}): ResponseCache {
  const { policies, store, limits } = options;

  /** The stored text under `key`: at once from memory, a promise from a remote store; a failure is none. */
  const read = (key: string): string | undefined | Promise<string | undefined> => {
    try {
      const found = store.get(key);
      return found instanceof Promise ? found.catch(ignore) : found;
    } catch {
      return undefined;
    }
  };
  const found = (key: string, policy: CachePolicy, text: string | undefined): CacheLookup => {
    const answer = text === undefined ? undefined : parseCachedAnswer(text);
    return answer === undefined ? { kind: 'miss', key, policy } : { kind: 'hit', key, policy, answer };
  };

  /** Whether a hit may be counted against the limits its answer's target counts against. */
  const countInLimits = async (execution: Execution, answer: CachedAnswer): Promise<boolean> => {
    const usage = answer.response.usage;
    const tokens = (usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0);
    try {
      const acquired = await limits.acquire({
        context: {
          caller: execution.caller,
          route: execution.trace.route,
          model: answer.served.model,
          provider: answer.served.provider,
        },
        tokens,
      });
      if (!acquired.ok) return false;
      acquired.permit.settle(tokens);
      return true;
    } catch {
      return false;
    }
  };

  const put = (
    execution: Execution,
    lookup: CacheFill,
    input: { response: ChatResponse; record: AttemptTrace },
  ) => {
    const { trace, settings, pending } = execution;
    if (input.record.outcome !== 'success' || trace.served === undefined) return;
    const value = serializeCachedAnswer({
      response: input.response,
      served: trace.served,
      costUsd: input.record.costUsd,
      storedAt: settings.clock.now(),
    });
    // `length` counts UTF-16 units: at most the UTF-8 size for ASCII, so check the cheap bound first.
    if (value.length > lookup.policy.maxEntryBytes || Buffer.byteLength(value) > lookup.policy.maxEntryBytes)
      return;
    try {
      const stored = store.set(lookup.key, value, lookup.policy.ttlMs);
      if (stored instanceof Promise) pending.push(stored.catch(ignore));
    } catch {
      // A failing cache must not fail the request.
    }
  };

  return {
    lookup({ execution, root, mode }) {
      const policy = policies.of(root);
      if (policy === undefined) return undefined;
      const { trace } = execution;
      const request = chatOf(execution);
      if (mode === 'bypass' || (!policy.nondeterministic && isNondeterministic(request))) {
        trace.cache = 'bypass';
        return { kind: 'bypass' };
      }
      const key = answerCacheKey({
        operation: CHAT_OPERATION,
        scope: policy.scope === 'global' ? 'global' : `key:${execution.caller.key ?? ''}`,
        request,
      });
      trace.cache = 'miss';
      if (mode === 'refresh') return { kind: 'miss', key, policy };
      const text = read(key);
      return text instanceof Promise
        ? text.then((value) => found(key, policy, value))
        : found(key, policy, text);
    },

    async serve({ execution, hit, validators }) {
      const { answer } = hit;
      const { trace, settings } = execution;
      const usage = answer.response.usage;
      const response: ChatResponse =
        usage === undefined ? answer.response : { ...answer.response, usage: { ...usage, cost: 0 } };
      let parsed: unknown;
      if (validators.length > 0) {
        try {
          parsed = await validateAnswer({
            validators,
            response,
            request: chatOf(execution),
            sentModel: answer.served.model,
            label: `${answer.served.target} (cached)`,
          });
        } catch {
          return undefined;
        }
      }
      if (hit.policy.countHitsInLimits && !limits.empty && !(await countInLimits(execution, answer)))
        return undefined;
      trace.cache = 'hit';
      trace.savedUsd = answer.costUsd;
      trace.served = answer.served;
      trace.routeSurprise = isRouteSurprise(answer.served.model, answer.served.returnedModel);
      try {
        const appended = settings.ledger.append(
          cacheHitLedgerEntry({
            trace,
            served: answer.served,
            savedUsd: answer.costUsd,
            time: settings.clock.now(),
          }),
        );
        if (appended instanceof Promise) execution.pending.push(appended.catch(ignore));
      } catch {
        // A failing ledger store must not fail the request.
      }
      return { response, parsed };
    },

    fill({ execution, lookup, response, record }) {
      put(execution, lookup, { response, record });
    },

    fillFromStream({ execution, lookup, chunks, record }) {
      // One choice is all a stream's chunks are assembled into; n > 1 streams are not stored.
      const { n } = chatOf(execution);
      if (typeof n === 'number' && n > 1) return;
      put(execution, lookup, { response: assembleCompletion(chunks), record });
    },
  };
}
