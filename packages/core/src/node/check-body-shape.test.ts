import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS } from '../config/resolve-config.js';
import { checkBodyShape } from './check-body-shape.js';

const LIMITS = { maxDepth: 8, maxNameLength: 16, maxStringLength: 32 };

/** `levels` arrays nested in one another, as a parsed body holds them. */
const nested = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

const failure = (body: unknown, limits = LIMITS) => {
  try {
    checkBodyShape(body, limits);
  } catch (error) {
    return error as Error & { status: number; code: string; param: string };
  }
  throw new Error('expected the body to be refused');
};

describe('checkBodyShape', () => {
  it('accepts a chat request within the limits', () => {
    const body = {
      model: 'default',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    };
    expect(() => checkBodyShape(body, LIMITS)).not.toThrow();
    // The body is level 1: 7 more levels are allowed.
    expect(() => checkBodyShape({ metadata: nested(7) }, LIMITS)).not.toThrow();
  });

  it('refuses nesting past maxDepth with a 400 naming the field that holds it', () => {
    expect(failure({ metadata: nested(8) })).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
      param: 'metadata[0]',
      message: 'metadata[0]: nested deeper than 8 levels (requestLimits.maxDepth)',
    });
    const tools = [{ type: 'function', function: { name: 'f', parameters: nested(10) } }];
    expect(failure({ model: 'm', tools })).toMatchObject({ param: 'tools[0]' });
    expect(failure({ metadata: { a: { b: nested(8) } } })).toMatchObject({ param: 'metadata.a' });
  });

  it('walks 5,000 levels of nesting without overflowing the stack: it stops at the limit', () => {
    const deep = { metadata: nested(5000) };
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(failure(deep, CONFIG_DEFAULTS.requestLimits)).toMatchObject({
      param: 'metadata[0]',
      message: 'metadata[0]: nested deeper than 64 levels (requestLimits.maxDepth)',
    });
  });

  it('refuses a string past maxStringLength and a key past maxNameLength, naming them', () => {
    const messages = [{ role: 'user', content: 'x'.repeat(33) }];
    expect(failure({ messages })).toMatchObject({
      param: 'messages[0].content',
      message: 'messages[0].content: longer than 32 characters (requestLimits.maxStringLength)',
    });
    const key = 'k'.repeat(100);
    const refused = failure({ metadata: { [key]: 1 } });
    expect(refused.message).toContain('key longer than 16 characters (requestLimits.maxNameLength)');
    // A hostile key is named by its start, not repeated whole.
    expect(refused.param).toBe(`metadata.${'k'.repeat(64)}…`);
  });
});
