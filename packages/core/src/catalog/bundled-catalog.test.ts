import { createSpecOracle } from '@switchyard/spec-oracle';
import { describe, expect, it } from 'vitest';
import { parseUsd } from '../pricing/money.js';
import { BUNDLED_CATALOG } from './bundled-catalog.js';
import { findModel } from './catalog.js';

const VENDORS = ['openai', 'anthropic', 'google', 'meta-llama', 'deepseek', 'mistralai', 'qwen'];
const { models } = BUNDLED_CATALOG;

function model(id: string) {
  const found = findModel(BUNDLED_CATALOG, id);
  if (found === undefined) throw new Error(`${id} is not bundled`);
  return found;
}

describe('BUNDLED_CATALOG', () => {
  it('validates entry by entry against the Model schema of OpenRouter’s OpenAPI document', () => {
    const oracle = createSpecOracle();
    const failures = models.flatMap((entry) => {
      const { valid, errors } = oracle.validate('Model', entry);
      return valid ? [] : [{ id: entry.id, errors }];
    });
    expect(failures).toEqual([]);
  });

  it('holds at least 45 models with unique ids from all seven vendors', () => {
    expect(models.length).toBeGreaterThanOrEqual(45);
    expect(new Set(models.map((entry) => entry.id)).size).toBe(models.length);
    for (const vendor of VENDORS) {
      expect(models.filter((entry) => entry.id.startsWith(`${vendor}/`)).length, vendor).toBeGreaterThan(3);
    }
  });

  it('has at least five :free variants, priced zero, sharing their base model’s canonical slug', () => {
    const free = models.filter((entry) => entry.id.endsWith(':free'));
    expect(free.length).toBeGreaterThanOrEqual(5);
    for (const entry of free) {
      expect(entry.pricing?.prompt, entry.id).toBe('0');
      expect(entry.pricing?.completion, entry.id).toBe('0');
      expect(entry.canonical_slug).toBe(entry.id.replace(/:free$/, ''));
    }
  });

  it('prices every model with decimal USD-per-token strings that parseUsd reads', () => {
    for (const entry of models) {
      expect(entry.pricing, entry.id).toMatchObject({
        prompt: expect.any(String),
        completion: expect.any(String),
      });
      for (const [field, price] of Object.entries(entry.pricing ?? {})) {
        expect(() => parseUsd(price), `${entry.id} pricing.${field} = ${price}`).not.toThrow();
        expect(price, `${entry.id} pricing.${field}`).toMatch(/^\d+(\.\d+)?$/);
      }
    }
  });

  it('states list prices per token', () => {
    expect(model('openai/gpt-4o-mini').pricing).toMatchObject({
      prompt: '0.00000015',
      completion: '0.0000006',
      input_cache_read: '0.000000075',
    });
    expect(model('anthropic/claude-sonnet-4.5').pricing).toMatchObject({
      prompt: '0.000003',
      completion: '0.000015',
      input_cache_read: '0.0000003',
      input_cache_write: '0.00000375',
    });
    expect(model('google/gemini-2.5-flash').pricing).toMatchObject({
      prompt: '0.0000003',
      completion: '0.0000025',
      internal_reasoning: '0.0000025',
    });
    expect(model('qwen/qwen3-235b-a22b').pricing?.prompt).toBe('0.000000455');
  });

  it('describes limits and capabilities the router relies on', () => {
    const gpt41 = model('openai/gpt-4.1');
    expect(gpt41.context_length).toBe(1_047_576);
    expect(gpt41.top_provider).toEqual({
      context_length: 1_047_576,
      max_completion_tokens: 32_768,
      is_moderated: true,
    });
    expect(model('openai/gpt-4o').architecture?.input_modalities).toContain('image');
    expect(model('deepseek/deepseek-r1').architecture?.input_modalities).toEqual(['text']);
    expect(model('openai/gpt-5').supported_parameters).toEqual(
      expect.arrayContaining(['tools', 'reasoning', 'structured_outputs']),
    );
    expect(model('openai/gpt-5').supported_parameters).not.toContain('temperature');
    expect(model('anthropic/claude-3.5-haiku').supported_parameters).not.toContain('reasoning');
  });

  it('is stamped with its date and an honest source, and cannot be mutated by an importer', () => {
    expect(BUNDLED_CATALOG.snapshotDate).toBe('2026-11-29');
    expect(BUNDLED_CATALOG.source).toMatch(/by hand.*no live fetch/);
    const entry = model('openai/gpt-4o');
    expect(() => {
      (entry.pricing as { prompt: string }).prompt = '0';
    }).toThrow(TypeError);
    expect(() => (models as unknown as unknown[]).push({})).toThrow(TypeError);
  });
});
