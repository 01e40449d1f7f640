import type { CatalogModel } from '../catalog/catalog-model.js';
import { systemClock } from '../clock.js';
import type { SwitchyardConfig } from '../config/config-types.js';
import { resolveConfig } from '../config/resolve-config.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { estimateCost } from '../pricing/model-pricing.js';
import { formatUsd } from '../pricing/money.js';
import { profileRequest } from '../routing/request-profile.js';
import type { ModelTarget, Target } from '../routing/target.js';
import { skipReason } from '../routing/target-filter.js';
import { createTargetRegistry } from '../routing/target-registry.js';
import type { ChatRequest } from '../types/chat.js';
import { createFeeSchedule } from './fee-schedule.js';
import { worstCase } from './worst-case.js';

/** The cost of one request on one candidate target, before any traffic. */
export interface TargetEstimate {
  target: string;
  provider: string;
  model: string;
  /** The declared context window (the alias's `contextLength`, else the catalog's), when known. */
  contextLength: number | undefined;
  /** Prompt tokens by the tokenizer. */
  promptTokens: number;
  /** Worst-case completion: `max_tokens`, else the model's maximum completion, else what the context leaves. */
  completionTokens: number | undefined;
  /** Worst case in USD, fee included; undefined when unpriced or unbounded. */
  worstCaseUsd: string | undefined;
  /** Prompt + `expectedCompletionTokens` in USD, fee included; undefined when unpriced. */
  expectedUsd: string | undefined;
  /** Why the router would skip this target for this request (context window, capability...). */
  skipReason: string | undefined;
}

/** Completion tokens assumed for the expected cost when none are given. */
const DEFAULT_EXPECTED_COMPLETION = 256;

/** The model targets under a target, each once, in configuration order. */
function leaves(target: Target, seen = new Set<string>()): ModelTarget[] {
  if (target.kind === 'route') return target.entries.flatMap((entry) => leaves(entry.target, seen));
  if (seen.has(target.name)) return [];
  seen.add(target.name);
  return [target];
}

/**
 * Estimates a request's cost on every model target its `model` resolves to (a route's targets in
 * configuration order, an alias, or a raw id), without calling anything.
 */
export function estimateRequest(options: {
  config: SwitchyardConfig;
  catalog?: readonly CatalogModel[];
  request: ChatRequest;
  expectedCompletionTokens?: number;
}): TargetEstimate[] {
  const resolved = resolveConfig(options.config);
  const { config } = resolved;
  const registry = createTargetRegistry({
    resolved,
    catalog: options.catalog ?? [],
    clock: systemClock,
    validators: {},
  });
  const root = registry.resolve(options.request.model);
  if (root === undefined) {
    throw new SwitchyardError({
      code: 'no_route',
      message: `unknown model or route "${options.request.model}"`,
    });
  }
  const fees = createFeeSchedule({ providers: config.providers, now: Date.now });
  const profile = profileRequest(options.request);
  const expectedCompletion = options.expectedCompletionTokens ?? DEFAULT_EXPECTED_COMPLETION;
  return leaves(root).map((target) => {
    const worst = worstCase({ target, profile, fees });
    let expected: string | undefined;
    if (target.pricing !== undefined) {
      const tokenCost = estimateCost(target.pricing, {
        promptTokens: worst.promptTokens,
        completionTokens: expectedCompletion,
      });
      expected = formatUsd(tokenCost + fees.estimate({ provider: target.provider, tokenCost }));
    }
    return {
      target: target.name,
      provider: target.provider,
      model: target.model,
      contextLength: target.contextLength,
      promptTokens: worst.promptTokens,
      completionTokens: worst.completionTokens,
      worstCaseUsd: worst.cost === undefined ? undefined : formatUsd(worst.cost),
      expectedUsd: expected,
      skipReason: skipReason(target, profile),
    };
  });
}
