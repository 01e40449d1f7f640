import { describe, expect, it } from 'vitest';
import { toUsageMetadata } from './usage-metadata.js';

describe('toUsageMetadata', () => {
  it('reports cached prompt tokens and reasoning tokens', () => {
    expect(
      toUsageMetadata({
        prompt_tokens: 1200,
        completion_tokens: 300,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 1024 },
        completion_tokens_details: { reasoning_tokens: 200 },
      }),
    ).toEqual({
      input_tokens: 1200,
      output_tokens: 300,
      total_tokens: 1500,
      input_token_details: { cache_read: 1024 },
      output_token_details: { reasoning: 200 },
    });
  });

  it('leaves out details the upstream did not report', () => {
    expect(toUsageMetadata({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 })).toEqual({
      input_tokens: 3,
      output_tokens: 4,
      total_tokens: 7,
    });
  });
});
