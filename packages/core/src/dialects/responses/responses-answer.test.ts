import { createSpecOracle } from '@switchyard/spec-oracle';
import { describe, expect, it } from 'vitest';
import { TEXT_ANSWER, TEXT_USAGE, TOOL_ANSWER } from '../../../test/support/recorded-chat.js';
import type { ChatResponse } from '../../types/chat.js';
import { type ResponsesIdentity, responsesUsage, toResponsesAnswer } from './responses-answer.js';
import { translateResponsesRequest } from './responses-request.js';

const oracle = createSpecOracle();

const identity = (body: Record<string, unknown> = {}): ResponsesIdentity => ({
  requestId: 'swy-test-1',
  model: 'openai/gpt-4o-mini',
  createdAt: 1796168430,
  echo: translateResponsesRequest({ model: 'default', input: 'Hi', ...body }).echo,
});

describe('toResponsesAnswer', () => {
  it('answers text as one message item with an output_text part, in OpenRouter schema of the API', () => {
    const answer = toResponsesAnswer({
      completion: TEXT_ANSWER,
      identity: identity({ metadata: { team: 'search' }, instructions: 'Be brief.' }),
      usage: TEXT_USAGE,
      costUsd: '0.000012027',
    });
    oracle.assertValid('OpenResponsesResult', answer);
    expect(answer).toMatchObject({
      id: 'resp_swy-test-1',
      object: 'response',
      status: 'completed',
      model: 'openai/gpt-4o-mini',
      instructions: 'Be brief.',
      metadata: { team: 'search' },
      error: null,
      incomplete_details: null,
      output: [
        {
          type: 'message',
          id: 'msg_swy-test-1_0',
          status: 'completed',
          role: 'assistant',
          content: [
            {
              type: 'output_text',
              text: 'Mock reply from openai/gpt-4o-mini: you said "Hi".',
              annotations: [],
            },
          ],
        },
      ],
      usage: {
        input_tokens: 8,
        input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
        output_tokens: 17,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 25,
        cost: 0.000012027,
      },
    });
    expect(answer.completed_at).toBeGreaterThanOrEqual(answer.created_at);
  });

  it('answers tool calls as function_call items with the call ids and the tools echoed', () => {
    const weather = { type: 'function', name: 'get_weather', parameters: { type: 'object' } };
    const answer = toResponsesAnswer({
      completion: TOOL_ANSWER,
      identity: identity({ tools: [weather], tool_choice: 'required' }),
      usage: undefined,
      costUsd: '0',
    });
    oracle.assertValid('OpenResponsesResult', answer);
    expect(answer.output).toEqual([
      {
        type: 'function_call',
        id: 'fc_swy-test-1_0',
        call_id: 'call_9219f4f1881100000000',
        name: 'get_weather',
        arguments: '{"city":"example"}',
        status: 'completed',
      },
    ]);
    expect(answer.tools).toEqual([{ ...weather, description: null, strict: null }]);
    expect(answer.tool_choice).toBe('required');
  });

  it('marks a length finish incomplete for max_output_tokens, and keeps a refusal as its own part', () => {
    const choice = TEXT_ANSWER.choices[0] as ChatResponse['choices'][number];
    const truncated = { ...TEXT_ANSWER, choices: [{ ...choice, finish_reason: 'length' }] } as ChatResponse;
    const answer = toResponsesAnswer({
      completion: truncated,
      identity: identity(),
      usage: TEXT_USAGE,
      costUsd: '0',
    });
    expect(answer).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      completed_at: null,
    });
    expect(answer.output[0]).toMatchObject({ status: 'incomplete' });
    oracle.assertValid('OpenResponsesResult', answer);

    const refused = {
      ...TEXT_ANSWER,
      choices: [
        { ...choice, message: { role: 'assistant', content: null, refusal: 'I cannot help with that.' } },
      ],
    } as ChatResponse;
    const refusal = toResponsesAnswer({
      completion: refused,
      identity: identity(),
      usage: TEXT_USAGE,
      costUsd: '0',
    });
    expect(refusal.output).toMatchObject([
      { type: 'message', content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] },
    ]);
    oracle.assertValid('OpenResponsesResult', refusal);
  });

  it('reports cached, cache-written and reasoning tokens as the upstream did', () => {
    expect(
      responsesUsage(
        {
          ...TEXT_USAGE,
          promptTokens: 1000,
          cachedTokens: 600,
          cacheWriteTokens: 100,
          reasoningTokens: 12,
          completionTokens: 40,
          totalTokens: 1040,
        },
        '0.5',
      ),
    ).toEqual({
      input_tokens: 1000,
      input_tokens_details: { cached_tokens: 600, cache_write_tokens: 100 },
      output_tokens: 40,
      output_tokens_details: { reasoning_tokens: 12 },
      total_tokens: 1040,
      cost: 0.5,
    });
  });
});
