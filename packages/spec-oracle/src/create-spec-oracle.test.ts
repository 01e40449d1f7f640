import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSpecOracle, EMBEDDINGS_SCHEMAS } from './create-spec-oracle.js';

const oracle = createSpecOracle();

describe('createSpecOracle', () => {
  it('loads the real OpenRouter document and accepts a wire-shaped ChatResult', () => {
    const result = oracle.validate('ChatResult', {
      id: 'gen-1',
      provider: 'OpenAI',
      model: 'openai/gpt-4o-mini',
      object: 'chat.completion',
      created: 1763157299,
      system_fingerprint: null,
      choices: [
        { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hi', refusal: null } },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4, cost: 0.00001, is_byok: false },
    });
    expect(result).toEqual({ valid: true, errors: '' });
  });

  it('reports the path of each violation', () => {
    const result = oracle.validate('ChatResult', { id: 'gen-1', object: 'chat.completion', choices: [] });
    expect(result.valid).toBe(false);
    expect(result.errors).toContain("must have required property 'system_fingerprint'");
  });

  it('assertValid throws an Error listing the errors', () => {
    expect(() => oracle.assertValid('ChatStreamChunk', { id: 1 })).toThrow(
      /does not match ChatStreamChunk[\s\S]*\/id must be string/,
    );
  });

  it('compiles the one schema that uses an OpenAPI 3.0 boolean exclusiveMinimum', () => {
    expect(
      oracle.validate('VideoGenerationRequest', { model: 'x', prompt: 'y', upscale_factor: 0 }).errors,
    ).toContain('must be > 0');
  });

  it('rejects an unknown schema name clearly', () => {
    expect(() => oracle.validate('NoSuchSchema', {})).toThrow(
      /"NoSuchSchema" is not under components.schemas/,
    );
  });

  it('validates against an inline schema named by a JSON pointer: the embeddings answer', () => {
    const answer = {
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, -0.2] }],
      model: 'openai/text-embedding-3-small',
      usage: { prompt_tokens: 3, total_tokens: 3 },
    };
    expect(oracle.validate(EMBEDDINGS_SCHEMAS.response, answer)).toEqual({ valid: true, errors: '' });
    const base64 = { ...answer, data: [{ object: 'embedding', index: 0, embedding: 'AAAA' }] };
    expect(oracle.validate(EMBEDDINGS_SCHEMAS.response, base64).valid).toBe(true);
    const broken = oracle.validate(EMBEDDINGS_SCHEMAS.response, { ...answer, object: 'embedding' });
    expect(broken.errors).toContain('/object must be equal to one of the allowed values');
    expect(oracle.validate(EMBEDDINGS_SCHEMAS.request, { model: 'm', input: ['a', 'b'] }).valid).toBe(true);
    expect(oracle.validate(EMBEDDINGS_SCHEMAS.request, { model: 'm' }).errors).toContain("'input'");
  });

  it('says which path is missing', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'spec-oracle-')), 'missing.yaml');
    expect(() => createSpecOracle({ specPath: missing })).toThrow(
      `OpenRouter OpenAPI document not found at ${missing}.`,
    );
  });

  it('loads a document given by path', () => {
    const directory = mkdtempSync(join(tmpdir(), 'spec-oracle-'));
    const specPath = join(directory, 'tiny.yaml');
    writeFileSync(
      specPath,
      'components:\n  schemas:\n    Thing:\n      type: object\n      required: [name]\n',
    );
    const tiny = createSpecOracle({ specPath });
    expect(tiny.validate('Thing', { name: 'a' }).valid).toBe(true);
    expect(tiny.validate('Thing', {}).valid).toBe(false);
  });
});
