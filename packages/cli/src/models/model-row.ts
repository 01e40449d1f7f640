import { type CatalogModel, type Picodollars, parseUsd } from '@switchyard/core';

/** Capabilities the `models` table shows, in order; `vision` means image input. */
export const SHOWN_CAPABILITIES = [
  'tools',
  'response_format',
  'structured_outputs',
  'reasoning',
  'vision',
] as const;

/** Short names of {@link SHOWN_CAPABILITIES} for narrow tables. */
export const CAPABILITY_SHORT_NAMES: Readonly<Record<(typeof SHOWN_CAPABILITIES)[number], string>> =
  Object.freeze({
    tools: 'tools',
    response_format: 'json',
    structured_outputs: 'schema',
    reasoning: 'reasoning',
    vision: 'vision',
  });

const ONE_MILLION = 1_000_000n;

/** A catalog model as `switchyard models` shows it. */
export interface ModelRow {
  /** The model id (or, for an alias, the alias name). */
  id: string;
  /** Display name, when the catalog has one. */
  name: string | undefined;
  /** USD per million prompt tokens, exact; undefined when unpriced. */
  promptPerMillion: Picodollars | undefined;
  /** USD per million completion tokens, exact; undefined when unpriced. */
  completionPerMillion: Picodollars | undefined;
  /** Context window in tokens. */
  contextLength: number | undefined;
  /** Largest completion of the top provider. */
  maxCompletionTokens: number | undefined;
  /** The model's entries of {@link SHOWN_CAPABILITIES}. */
  capabilities: Array<(typeof SHOWN_CAPABILITIES)[number]>;
}

/** Reads a catalog entry into a {@link ModelRow}, prices converted to per million tokens exactly. */
export function toModelRow(model: CatalogModel): ModelRow {
  return {
    id: model.id,
    name: model.name,
    promptPerMillion: perMillion(model.pricing?.prompt),
    completionPerMillion: perMillion(model.pricing?.completion),
    contextLength: model.context_length ?? model.top_provider?.context_length ?? undefined,
    maxCompletionTokens: model.top_provider?.max_completion_tokens ?? undefined,
    capabilities: SHOWN_CAPABILITIES.filter((capability) =>
      capability === 'vision'
        ? (model.architecture?.input_modalities?.includes('image') ?? false)
        : (model.supported_parameters?.includes(capability) ?? false),
    ),
  };
}

function perMillion(perToken: string | undefined): Picodollars | undefined {
  if (perToken === undefined) return undefined;
  try {
    return parseUsd(perToken) * ONE_MILLION;
  } catch {
    return undefined;
  }
}
