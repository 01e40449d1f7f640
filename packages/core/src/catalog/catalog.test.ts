import { describe, expect, it } from 'vitest';
import { BUNDLED_CATALOG } from './bundled-catalog.js';
import { type Catalog, filterCatalog, findModel, mergeCatalogs } from './catalog.js';
import type { CatalogModel } from './catalog-model.js';

const cheap: CatalogModel = {
  id: 'acme/cheap-8k',
  name: 'Acme: Cheap 8K',
  context_length: 8_192,
  pricing: { prompt: '0.0000001', completion: '0.0000003' },
  architecture: { input_modalities: ['text'], output_modalities: ['text'] },
  supported_parameters: ['max_tokens', 'temperature'],
};
const vision: CatalogModel = {
  id: 'acme/vision-128k',
  name: 'Acme: Eyes',
  context_length: 128_000,
  pricing: { prompt: '0.0000003', completion: '0.0000012' },
  architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] },
  supported_parameters: ['max_tokens', 'tools', 'tool_choice', 'response_format'],
};
const big: CatalogModel = {
  id: 'other/big-1m',
  name: 'Other: Big',
  context_length: null,
  top_provider: { context_length: 1_000_000 },
  pricing: { prompt: '0.000003', completion: '0.000015' },
  supported_parameters: ['tools', 'reasoning', 'structured_outputs'],
};
const free: CatalogModel = {
  id: 'acme/cheap-8k:free',
  name: 'Acme: Cheap 8K (free)',
  context_length: 8_192,
  pricing: { prompt: '0', completion: '0.0' },
};
const unpriced: CatalogModel = { id: 'mystery/model', context_length: 32_000 };

const catalog: Catalog = {
  source: 'test',
  snapshotDate: '2026-01-01',
  models: [cheap, vision, big, free, unpriced],
};

const ids = (models: readonly CatalogModel[]): string[] => models.map((entry) => entry.id);

describe('findModel', () => {
  it('finds a model by its exact id, variant included', () => {
    expect(findModel(catalog, 'acme/cheap-8k')).toBe(cheap);
    expect(findModel(catalog, 'acme/cheap-8k:free')).toBe(free);
    expect(findModel(catalog, 'ACME/cheap-8k')).toBeUndefined();
    expect(findModel(BUNDLED_CATALOG, 'openai/gpt-4o-mini')?.name).toBe('OpenAI: GPT-4o-mini');
  });
});

describe('filterCatalog', () => {
  it('returns every model, in order, for an empty filter', () => {
    expect(ids(filterCatalog(catalog, {}))).toEqual(ids(catalog.models));
  });

  it('keeps prices at or under the limits, compared exactly, and drops unpriced models', () => {
    expect(ids(filterCatalog(catalog, { maxPromptPrice: '0.0000003' }))).toEqual([
      'acme/cheap-8k',
      'acme/vision-128k',
      'acme/cheap-8k:free',
    ]);
    expect(ids(filterCatalog(catalog, { maxPromptPrice: '0.000000299999' }))).toEqual([
      'acme/cheap-8k',
      'acme/cheap-8k:free',
    ]);
    expect(
      ids(filterCatalog(catalog, { maxPromptPrice: '0.0000003', maxCompletionPrice: '0.0000003' })),
    ).toEqual(['acme/cheap-8k', 'acme/cheap-8k:free']);
  });

  it('rejects a price limit that is not a decimal string', () => {
    expect(() => filterCatalog(catalog, { maxPromptPrice: '$1' })).toThrow(TypeError);
  });

  it('keeps models whose context (or top provider context) is large enough', () => {
    expect(ids(filterCatalog(catalog, { minContext: 32_000 }))).toEqual([
      'acme/vision-128k',
      'other/big-1m',
      'mystery/model',
    ]);
    expect(ids(filterCatalog(catalog, { minContext: 500_000 }))).toEqual(['other/big-1m']);
  });

  it('keeps models supporting every listed parameter, `vision` meaning image input', () => {
    expect(ids(filterCatalog(catalog, { supports: ['tools'] }))).toEqual([
      'acme/vision-128k',
      'other/big-1m',
    ]);
    expect(ids(filterCatalog(catalog, { supports: ['tools', 'vision'] }))).toEqual(['acme/vision-128k']);
    expect(ids(filterCatalog(catalog, { supports: ['vision', 'reasoning'] }))).toEqual([]);
    expect(ids(filterCatalog(catalog, { supports: [] }))).toEqual(ids(catalog.models));
  });

  it('tells free models (both prices zero) from the others', () => {
    expect(ids(filterCatalog(catalog, { free: true }))).toEqual(['acme/cheap-8k:free']);
    expect(ids(filterCatalog(catalog, { free: false }))).toEqual([
      'acme/cheap-8k',
      'acme/vision-128k',
      'other/big-1m',
      'mystery/model',
    ]);
  });

  it('searches ids and names case-insensitively', () => {
    expect(ids(filterCatalog(catalog, { search: 'EYES' }))).toEqual(['acme/vision-128k']);
    expect(ids(filterCatalog(catalog, { search: 'cheap-8k' }))).toEqual([
      'acme/cheap-8k',
      'acme/cheap-8k:free',
    ]);
    expect(ids(filterCatalog(catalog, { search: 'mystery' }))).toEqual(['mystery/model']);
  });

  it('combines criteria over the bundled catalog', () => {
    const freeModels = filterCatalog(BUNDLED_CATALOG, { free: true });
    expect(freeModels.length).toBeGreaterThanOrEqual(5);
    expect(freeModels.every((entry) => entry.id.endsWith(':free'))).toBe(true);

    const cheapVisionTools = filterCatalog(BUNDLED_CATALOG, {
      supports: ['tools', 'vision'],
      maxPromptPrice: '0.0000002',
      minContext: 1_000_000,
      free: false,
    });
    expect(ids(cheapVisionTools)).toEqual(
      expect.arrayContaining([
        'openai/gpt-4.1-nano',
        'google/gemini-2.5-flash-lite',
        'meta-llama/llama-4-maverick',
      ]),
    );
    expect(ids(cheapVisionTools)).not.toContain('openai/gpt-4o-mini'); // 128K context
    expect(ids(filterCatalog(BUNDLED_CATALOG, { search: 'claude', supports: ['reasoning'] }))).not.toContain(
      'anthropic/claude-3.5-haiku',
    );
  });
});

describe('mergeCatalogs', () => {
  const update: Catalog = {
    source: 'https://openrouter.ai/api/v1/models',
    snapshotDate: '2026-12-01',
    models: [{ ...vision, pricing: { prompt: '0.0000002', completion: '0.000001' } }, { id: 'new/model' }],
  };

  it('lists the update’s models first, then base-only ones, the update winning by id', () => {
    const merged = mergeCatalogs(catalog, update);
    expect(ids(merged.models)).toEqual([
      'acme/vision-128k',
      'new/model',
      'acme/cheap-8k',
      'other/big-1m',
      'acme/cheap-8k:free',
      'mystery/model',
    ]);
    expect(findModel(merged, 'acme/vision-128k')?.pricing?.prompt).toBe('0.0000002');
    expect(merged.source).toBe(update.source);
    expect(merged.snapshotDate).toBe('2026-12-01');
  });

  it('leaves both inputs untouched and keeps the first of duplicate ids in the update', () => {
    const before = ids(catalog.models);
    const duplicated: Catalog = {
      ...update,
      models: [
        { id: 'dup/a', name: 'first' },
        { id: 'dup/a', name: 'second' },
      ],
    };
    const merged = mergeCatalogs(catalog, duplicated);
    expect(merged.models.filter((entry) => entry.id === 'dup/a')).toEqual([{ id: 'dup/a', name: 'first' }]);
    expect(ids(catalog.models)).toEqual(before);
    expect(mergeCatalogs(BUNDLED_CATALOG, { ...update, models: [] }).models).toEqual(BUNDLED_CATALOG.models);
  });
});
