import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import type { AnswerValidator, ValidationInput } from './answer-validator.js';
import {
  customValidator,
  expectedModelValidator,
  jsonValidator,
  nonEmptyValidator,
  refusalValidator,
} from './built-in-validators.js';
import { jsonSchemaValidator, standardSchemaValidator } from './schema-validators.js';
import { toValidator, validatorsFromConfig } from './validators-from-config.js';

const request: ChatRequest = { model: 'x', messages: [{ role: 'user', content: 'hi' }] };

function answer(
  content: string | null,
  extra: { model?: string; refusal?: string; toolCalls?: boolean } = {},
): ValidationInput {
  const response: ChatResponse = {
    id: 'gen-1',
    object: 'chat.completion',
    created: 1,
    model: extra.model ?? 'a/b',
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        logprobs: null,
        message: {
          role: 'assistant',
          content,
          refusal: extra.refusal ?? null,
          ...(extra.toolCalls
            ? {
                tool_calls: [
                  { id: 'c1', type: 'function' as const, function: { name: 'f', arguments: '{}' } },
                ],
              }
            : {}),
        },
      },
    ],
  };
  return { response, text: content ?? '', request, sentModel: 'a/b' };
}

async function verdict(validator: AnswerValidator, input: ValidationInput) {
  return validator.validate(input);
}

describe('built-in validators', () => {
  it('nonEmpty rejects blank text but accepts tool calls', async () => {
    expect(await verdict(nonEmptyValidator(), answer('  '))).toEqual({
      ok: false,
      reason: 'answer is empty',
    });
    expect((await verdict(nonEmptyValidator(), answer(null, { toolCalls: true }))).ok).toBe(true);
  });

  it('json accepts JSON and one fenced json block, rejects prose', async () => {
    expect((await verdict(jsonValidator(), answer('{"a":1}'))).ok).toBe(true);
    expect((await verdict(jsonValidator(), answer('```json\n{"a":1}\n```'))).ok).toBe(true);
    const rejected = await verdict(jsonValidator(), answer('Sure! Here it is: {"a":1}'));
    expect(rejected.ok).toBe(false);
    expect(rejected.ok ? '' : rejected.reason).toMatch(/^answer is not valid JSON/);
  });

  it('refusal catches message.refusal and refusal openings, not ordinary text', async () => {
    expect(await verdict(refusalValidator(), answer('', { refusal: 'policy' }))).toEqual({
      ok: false,
      reason: 'model refused: policy',
    });
    expect((await verdict(refusalValidator(), answer("I'm sorry, but I can't help with that."))).ok).toBe(
      false,
    );
    expect((await verdict(refusalValidator(), answer('I cannot assist with this request.'))).ok).toBe(false);
    expect((await verdict(refusalValidator(), answer('I can help: here is the summary.'))).ok).toBe(true);
  });

  it('expectedModel rejects a substituted model', async () => {
    expect(await verdict(expectedModelValidator(), answer('x', { model: 'other/model' }))).toEqual({
      ok: false,
      reason: 'served by "other/model" instead of "a/b"',
    });
    expect((await verdict(expectedModelValidator(), answer('x'))).ok).toBe(true);
  });

  it('custom turns booleans and strings into verdicts', async () => {
    const short = customValidator('short', ({ text }) => text.length < 5 || 'too long');
    expect((await verdict(short, answer('abc'))).ok).toBe(true);
    expect(await verdict(short, answer('abcdef'))).toEqual({ ok: false, reason: 'too long' });
    expect(
      await verdict(
        customValidator('never', () => false),
        answer('a'),
      ),
    ).toEqual({ ok: false, reason: 'rejected by never' });
  });
});

describe('schema validators', () => {
  const schema = { type: 'object', required: ['title'], properties: { title: { type: 'string' } } };

  it('checks JSON Schema and names the failing path', async () => {
    expect((await verdict(jsonSchemaValidator(schema), answer('{"title":"x"}'))).ok).toBe(true);
    const rejected = await verdict(jsonSchemaValidator(schema), answer('{"title":3}'));
    expect(rejected).toEqual({
      ok: false,
      reason: 'answer does not match the schema: /title must be string',
    });
  });

  it('checks any Standard Schema, such as zod', async () => {
    const validator = toValidator(z.object({ title: z.string(), score: z.number().min(0) }));
    expect((await verdict(validator, answer('{"title":"x","score":1}'))).ok).toBe(true);
    const rejected = await verdict(validator, answer('{"title":"x","score":-1}'));
    expect(rejected.ok).toBe(false);
    expect(rejected.ok ? '' : rejected.reason).toMatch(/^answer does not match the schema: score: /);
    expect((await verdict(standardSchemaValidator(z.string()), answer('not json'))).ok).toBe(false);
  });

  it('builds validators from a route config section', () => {
    expect(
      validatorsFromConfig({ nonEmpty: true, json: true, refusal: true, expectedModel: true }).map(
        (v) => v.name,
      ),
    ).toEqual(['nonEmpty', 'refusal', 'expectedModel', 'json']);
    expect(validatorsFromConfig({ json: true, schema }).map((v) => v.name)).toEqual(['schema']);
    expect(validatorsFromConfig(undefined)).toEqual([]);
  });
});

describe('schema validators, dialects and tool calls', () => {
  it('compiles 2020-12 schemas such as zod 4 emits, and draft-07 ones', async () => {
    const modern = jsonSchemaValidator(
      z.toJSONSchema(z.object({ a: z.string() })) as Record<string, unknown>,
    );
    expect((await verdict(modern, answer('{"a":"x"}'))).ok).toBe(true);
    expect((await verdict(modern, answer('{"a":1}'))).ok).toBe(false);
    const draft07 = jsonSchemaValidator({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['a'],
    });
    expect((await verdict(draft07, answer('{}'))).ok).toBe(false);
  });

  it('lets an answer that calls tools pass the text schema checks', async () => {
    const schema = { type: 'object', required: ['a'] };
    expect((await verdict(jsonSchemaValidator(schema), answer(null, { toolCalls: true }))).ok).toBe(true);
    expect(
      (await verdict(toValidator(z.object({ a: z.string() })), answer(null, { toolCalls: true }))).ok,
    ).toBe(true);
  });
});
