import { AIMessage, ChatMessage, FunctionMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { toOpenAIMessages } from './to-openai-messages.js';

describe('toOpenAIMessages', () => {
  it('keeps text and tool calls of an AI message, and answers calls whose arguments did not parse', () => {
    const message = new AIMessage({
      content: [{ type: 'text', text: 'Let me check.' }],
      tool_calls: [{ id: 'call_1', name: 'lookup', args: { q: 'x' }, type: 'tool_call' }],
      invalid_tool_calls: [
        { id: 'call_2', name: 'lookup', args: '{"q":', error: 'bad JSON', type: 'invalid_tool_call' },
      ],
    });
    expect(
      toOpenAIMessages([message, new ToolMessage({ content: 'found', tool_call_id: 'call_1' })]),
    ).toEqual([
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
          { id: 'call_2', type: 'function', function: { name: 'lookup', arguments: '{"q":' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'found' },
    ]);
  });

  it('maps ChatMessage roles and names, and refuses roles OpenAI does not have', () => {
    expect(
      toOpenAIMessages([
        new ChatMessage({ role: 'developer', content: 'Be brief.' }),
        new ChatMessage({ role: 'human', content: 'Hi' }),
        new HumanMessage({ content: 'Hello', name: 'ada' }),
      ]),
    ).toEqual([
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'user', content: 'Hello', name: 'ada' },
    ]);
    expect(() => toOpenAIMessages([new ChatMessage({ role: 'critic', content: 'Meh' })])).toThrow(/critic/);
    expect(() => toOpenAIMessages([new FunctionMessage({ content: '1', name: 'f' })])).toThrow(/function/);
  });
});
