import type { Capability, Catalog, CatalogModel, ModelConfig, SwitchyardConfig } from '@switchyard/core';

/** What an alias overrides of its catalog entry: `pricing.prompt`, `contextLength`, ... */
export type AliasOverride =
  | `pricing.${keyof NonNullable<ModelConfig['pricing']>}`
  | 'contextLength'
  | 'maxCompletionTokens'
  | 'capabilities';

/** A configured alias seen as a catalog entry: the catalog's figures with the alias's overrides. */
export interface AliasModel {
  /** The alias name. */
  alias: string;
  /** Its provider. */
  provider: string;
  /** The provider's model id. */
  modelId: string;
  /** Whether the catalog lists the model id. */
  inCatalog: boolean;
  /** The effective entry, `id` set to the alias name (so filters and tables treat it as a model). */
  model: CatalogModel;
  /** The fields the alias overrides. */
  overridden: AliasOverride[];
}

/**
 * Every alias of a configuration as a catalog entry: its model's catalog figures with the alias's
 * `pricing` (field by field), `contextLength`, `maxCompletionTokens` and `capabilities` on top.
 */
export function aliasModels(options: { config: SwitchyardConfig; catalog: Catalog }): AliasModel[] {
  return Object.entries(options.config.models ?? {}).map(([alias, entry]) => {
    const base = options.catalog.models.find((model) => model.id === entry.model);
    return {
      alias,
      provider: entry.provider,
      modelId: entry.model,
      inCatalog: base !== undefined,
      model: applyOverrides({ alias, entry, base }),
      overridden: overridesOf(entry),
    };
  });
}

function overridesOf(entry: ModelConfig): AliasOverride[] {
  const pricing = Object.keys(entry.pricing ?? {}).map((key) => `pricing.${key}` as AliasOverride);
  const others = (['contextLength', 'maxCompletionTokens', 'capabilities'] as const).filter(
    (key) => entry[key] !== undefined,
  );
  return [...pricing, ...others];
}

function applyOverrides(input: {
  alias: string;
  entry: ModelConfig;
  base: CatalogModel | undefined;
}): CatalogModel {
  const { entry, base } = input;
  const model: CatalogModel = {
    ...base,
    id: input.alias,
    name: base?.name ?? entry.model,
    pricing: { ...base?.pricing, ...entry.pricing },
    context_length: entry.contextLength ?? base?.context_length ?? null,
    top_provider: {
      ...base?.top_provider,
      max_completion_tokens: entry.maxCompletionTokens ?? base?.top_provider?.max_completion_tokens ?? null,
    },
  };
  if (entry.capabilities !== undefined) return withCapabilities({ model, capabilities: entry.capabilities });
  return model;
}

/** An alias's `capabilities` replace what the catalog says (`vision` = image input). */
function withCapabilities(input: { model: CatalogModel; capabilities: readonly Capability[] }): CatalogModel {
  const vision = input.capabilities.includes('vision');
  return {
    ...input.model,
    supported_parameters: input.capabilities.filter((capability) => capability !== 'vision'),
    architecture: {
      ...input.model.architecture,
      input_modalities: vision ? ['text', 'image'] : ['text'],
    },
  };
}
