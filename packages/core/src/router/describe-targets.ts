import { formatUsd } from '../pricing/money.js';
import type { TargetRegistry } from '../routing/target-registry.js';

/** A route or an alias as a gateway lists it. */
export interface TargetDescription {
  id: string;
  kind: 'route' | 'model';
  /** Routes: the strategy and the targets in configured order. */
  strategy?: string;
  targets?: string[];
  /** Aliases: the provider and the model id sent upstream. */
  provider?: string;
  model?: string;
  contextLength?: number;
  /** USD per token as exact decimal strings, when known. */
  pricing?: { prompt: string; completion: string; request: string };
}

/** Every route and alias of a registry with its strategy, targets, context window and prices. */
export function describeTargets(registry: TargetRegistry): TargetDescription[] {
  const descriptions: TargetDescription[] = [];
  for (const route of registry.routes.values()) {
    descriptions.push({
      id: route.name,
      kind: 'route',
      strategy: route.strategy,
      targets: route.entries.map((entry) => entry.target.name),
    });
  }
  for (const model of registry.models.values()) {
    descriptions.push({
      id: model.name,
      kind: 'model',
      provider: model.provider,
      model: model.model,
      ...(model.contextLength === undefined ? {} : { contextLength: model.contextLength }),
      ...(model.pricing === undefined
        ? {}
        : {
            pricing: {
              prompt: formatUsd(model.pricing.prompt),
              completion: formatUsd(model.pricing.completion),
              request: formatUsd(model.pricing.request),
            },
          }),
    });
  }
  return descriptions;
}
