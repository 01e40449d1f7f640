import { describe, expect, it } from 'vitest';
import { exampleFromSchema } from './example-from-schema.js';

describe('exampleFromSchema', () => {
  it('fills required properties by type', () => {
    expect(
      exampleFromSchema({
        type: 'object',
        properties: {
          s: { type: 'string' },
          n: { type: 'number' },
          i: { type: 'integer' },
          b: { type: 'boolean' },
          a: { type: 'array' },
          o: { type: 'object' },
          z: { type: 'null' },
          skipped: { type: 'string' },
        },
        required: ['s', 'n', 'i', 'b', 'a', 'o', 'z'],
      }),
    ).toEqual({ s: 'example', n: 1, i: 1, b: true, a: [], o: {}, z: null });
  });

  it('uses enum, const, nullable types and the first anyOf branch', () => {
    expect(
      exampleFromSchema({
        type: 'object',
        properties: {
          unit: { enum: ['c', 'f'] },
          fixed: { const: 42 },
          maybe: { type: ['null', 'integer'] },
          either: { anyOf: [{ type: 'null' }, { type: 'boolean' }] },
        },
        required: ['unit', 'fixed', 'maybe', 'either'],
      }),
    ).toEqual({ unit: 'c', fixed: 42, maybe: 1, either: true });
  });

  it('fills every property of a closed object without a required list', () => {
    expect(
      exampleFromSchema({
        type: 'object',
        properties: { a: { type: 'string' } },
        additionalProperties: false,
      }),
    ).toEqual({ a: 'example' });
  });

  it('follows local references and stops on recursion', () => {
    const schema = {
      $ref: '#/definitions/Node',
      definitions: {
        Node: { type: 'object', properties: { child: { $ref: '#/definitions/Node' } }, required: ['child'] },
      },
    };
    const example = exampleFromSchema(schema);
    expect(JSON.stringify(example)).toMatch(/^\{"child":\{"child":/);
  });
});
