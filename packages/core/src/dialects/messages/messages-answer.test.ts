import { createSpecOracle } from '@switchyard/spec-oracle';
import { describe, expect, it } from 'vitest';
import { TEXT_ANSWER, TEXT_USAGE, TOOL_ANSWER } from '../../../test/support/recorded-chat.js';
import { AttemptError } from '../../errors/attempt-error.js';
import type { ChatResponse } from '../../types/chat.js';
import { messagesUsage, stopReasonOf, toMessagesAnswer } from './messages-answer.js';

const oracle = createSpecOracle();
const choice = TEXT_ANSWER.choices[0] as ChatResponse['choices'][number];

describe('toMessagesAnswer', () => {
  it('answers text as a text block with end_turn, in OpenRouter schema of the API', () => {
    const answer = toMessagesAnswer({
      completion: TEXT_ANSWER,
      requestId: 'swy-test-3',
      stopSequences: [],
      usage: TEXT_USAGE,
      costUsd: '0.000012027',
    });
    oracle.assertValid('MessagesResult', answer);
    expect(answer).toEqual({
      id: 'msg_swy-test-3',
      type: 'message',
      role: 'assistant',
      model: 'openai/gpt-4o-mini',
      content: [
        { type: 'text', text: 'Mock reply from openai/gpt-4o-mini: you said "Hi".', citations: null },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      stop_details: null,
      container: null,
      usage: {
        input_tokens: 8,
        output_tokens: 17,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: null,
        output_tokens_details: null,
        server_tool_use: null,
        inference_geo: null,
        service_tier: 'standard',
        cost: 0.000012027,
      },
    });
  });

  it('answers a tool call as a tool_use block with its input parsed, stop_reason tool_use', () => {
    const answer = toMessagesAnswer({
      completion: TOOL_ANSWER,
      requestId: 'r',
      stopSequences: [],
      usage: undefined,
      costUsd: '0',
    });
    oracle.assertValid('MessagesResult', answer);
    expect(answer.content).toEqual([
      {
        type: 'tool_use',
        id: 'call_9219f4f1881100000000',
        name: 'get_weather',
        input: { city: 'example' },
        caller: { type: 'direct' },
      },
    ]);
    expect(answer.stop_reason).toBe('tool_use');
  });

  it('refuses to invent a tool input from arguments that are not JSON', () => {
    const message = (TOOL_ANSWER.choices[0] as ChatResponse['choices'][number]).message;
    const broken = {
      ...TOOL_ANSWER,
      choices: [
        {
          ...TOOL_ANSWER.choices[0],
          message: {
            ...message,
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"city":' } }],
          },
        },
      ],
    } as ChatResponse;
    const attempt = () =>
      toMessagesAnswer({
        completion: broken,
        requestId: 'r',
        stopSequences: [],
        usage: undefined,
        costUsd: '0',
      });
    expect(attempt).toThrow(AttemptError);
    expect(attempt).toThrow('the upstream\'s call of tool "f" has arguments that are not JSON');
  });

  it('answers a refusal as text with stop_reason refusal', () => {
    const refused = {
      ...TEXT_ANSWER,
      choices: [{ ...choice, message: { role: 'assistant', content: null, refusal: 'No.' } }],
    } as ChatResponse;
    const answer = toMessagesAnswer({
      completion: refused,
      requestId: 'r',
      stopSequences: [],
      usage: undefined,
      costUsd: '0',
    });
    expect(answer).toMatchObject({ content: [{ type: 'text', text: 'No.' }], stop_reason: 'refusal' });
  });
});

describe('stopReasonOf', () => {
  it('maps finish reasons, naming a stop sequence only when the upstream says one ended the answer', () => {
    const finish = (finishReason: string | null, extra: Record<string, unknown> = {}) => ({
      finishReason,
      refused: false,
      ...extra,
    });
    expect(stopReasonOf(finish('length'), [])).toEqual({ stop_reason: 'max_tokens', stop_sequence: null });
    expect(stopReasonOf(finish('tool_calls'), [])).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
    expect(stopReasonOf(finish('content_filter'), [])).toEqual({
      stop_reason: 'refusal',
      stop_sequence: null,
    });
    expect(stopReasonOf(finish('stop'), ['END'])).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
    expect(stopReasonOf(finish('stop', { stopReason: 'END' }), ['STOP', 'END'])).toEqual({
      stop_reason: 'stop_sequence',
      stop_sequence: 'END',
    });
    expect(stopReasonOf(finish('stop', { nativeFinishReason: 'stop_sequence' }), ['END'])).toEqual({
      stop_reason: 'stop_sequence',
      stop_sequence: 'END',
    });
    // Two stop sequences and no word of which one matched: no guess.
    expect(stopReasonOf(finish('stop', { nativeFinishReason: 'stop_sequence' }), ['A', 'B'])).toEqual({
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
  });
});

describe('messagesUsage', () => {
  it('splits the prompt into uncached, cache-read and cache-written tokens, counting none twice', () => {
    const usage = messagesUsage(
      {
        ...TEXT_USAGE,
        promptTokens: 1000,
        cachedTokens: 600,
        cacheWriteTokens: 100,
        completionTokens: 50,
        reasoningTokens: 20,
      },
      '0.25',
    );
    expect(usage).toMatchObject({
      input_tokens: 300,
      cache_read_input_tokens: 600,
      cache_creation_input_tokens: 100,
      output_tokens: 50,
      output_tokens_details: { thinking_tokens: 20 },
      cost: 0.25,
    });
    expect(usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens).toBe(1000);
  });
});
