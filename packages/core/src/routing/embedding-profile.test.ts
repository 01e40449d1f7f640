import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/support/fake-clock.js';
import { resolveConfig } from '../config/resolve-config.js';
import { createFeeSchedule } from '../spend/fee-schedule.js';
import { worstCase } from '../spend/worst-case.js';
import { embeddingInputs, profileEmbeddings } from './embedding-profile.js';
import { profileRequest } from './request-profile.js';
import type { ModelTarget } from './target.js';
import { skipReason } from './target-filter.js';
import { createTargetRegistry } from './target-registry.js';

const registry = createTargetRegistry({
  resolved: resolveConfig({
    providers: { up: { baseURL: 'http://127.0.0.1:1/api/v1' } },
    models: {
      embedder: {
        provider: 'up',
        model: 'acme/embed',
        contextLength: 16,
        pricing: { prompt: '0.0000001' },
        type: 'embedding',
      },
      talker: { provider: 'up', model: 'acme/chat', type: 'chat' },
      catalogued: { provider: 'up', model: 'acme/catalogued' },
      anything: { provider: 'up', model: 'acme/anything' },
    },
  }),
  catalog: [
    { id: 'acme/catalogued', architecture: { output_modalities: ['embeddings'] } },
    { id: 'acme/anything', architecture: { input_modalities: ['text'] } },
  ],
  clock: createFakeClock(),
  validators: {},
});
const model = (name: string) => registry.models.get(name) as ModelTarget;

describe('embeddings request profile', () => {
  it('lists the inputs of every shape OpenAI takes', () => {
    expect(embeddingInputs({ input: 'one' })).toEqual(['one']);
    expect(embeddingInputs({ input: ['one', 'two'] })).toEqual(['one', 'two']);
    expect(embeddingInputs({ input: [1, 2, 3] })).toEqual([[1, 2, 3]]);
    expect(embeddingInputs({ input: [[1], [2, 3]] })).toEqual([[1], [2, 3]]);
  });

  it('counts every input as prompt tokens, token arrays by their ids, with no completion', () => {
    const texts = ['the quick brown fox', 'jumps'];
    const profile = profileEmbeddings({ model: 'm', input: texts });
    expect(profile.operation).toBe('embeddings');
    expect(profile.maxTokens).toBe(0);
    expect(profile.promptTokens()).toBe(countTokens(texts[0] as string) + countTokens('jumps'));
    expect(profile.contextTokens()).toBe(countTokens(texts[0] as string));
    expect(profile.promptTokensUpperBound).toBeGreaterThanOrEqual(profile.contextTokens());
    const tokens = profileEmbeddings({
      model: 'm',
      input: [
        [1, 2],
        [3, 4, 5],
      ],
    });
    expect([tokens.promptTokens(), tokens.contextTokens()]).toEqual([5, 3]);
  });

  it('prices the worst case at the input tokens alone', () => {
    const profile = profileEmbeddings({ model: 'm', input: 'a b c d' });
    const worst = worstCase({
      target: model('embedder'),
      profile,
      fees: createFeeSchedule({ providers: {}, now: () => 0 }),
    });
    expect(worst).toEqual({ promptTokens: 4, completionTokens: 0, cost: 400_000n });
  });
});

describe('model types in the target filter', () => {
  it('skips a chat model for embeddings and an embedding model for a chat; unknown serves both', () => {
    const embeddings = profileEmbeddings({ model: 'm', input: 'hi' });
    const chat = profileRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(skipReason(model('talker'), embeddings)).toBe('chat_only');
    expect(skipReason(model('embedder'), chat)).toBe('embedding_only');
    expect(skipReason(model('catalogued'), chat)).toBe('embedding_only');
    expect(skipReason(model('catalogued'), embeddings)).toBeUndefined();
    expect(skipReason(model('anything'), embeddings)).toBeUndefined();
    expect(skipReason(model('anything'), chat)).toBeUndefined();
  });

  it('checks each input against the context window, not their sum', () => {
    const word = 'alpha ';
    const fits = profileEmbeddings({
      model: 'm',
      input: [word.repeat(10), word.repeat(10), word.repeat(10)],
    });
    expect(fits.promptTokens()).toBeGreaterThan(16);
    expect(skipReason(model('embedder'), fits)).toBeUndefined();
    const tooLong = profileEmbeddings({ model: 'm', input: ['short', word.repeat(20)] });
    expect(skipReason(model('embedder'), tooLong)).toBe('context_window');
  });
});
