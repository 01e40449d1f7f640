import type { StandardSchemaV1 } from '@standard-schema/spec';
import { Ajv } from 'ajv';
import { type AnswerValidator, PASS, reject } from './answer-validator.js';
import { parseAnswerJson } from './built-in-validators.js';

let ajv: Ajv | undefined;

/**
 * Rejects an answer whose text is not JSON matching a JSON Schema (compiled once, with ajv).
 * @example jsonSchemaValidator({ type: 'object', required: ['title'], properties: { title: { type: 'string' } } })
 */
export function jsonSchemaValidator(schema: Record<string, unknown>): AnswerValidator {
  ajv ??= new Ajv({ allErrors: true, strict: false });
  const check = ajv.compile(schema);
  return {
    name: 'schema',
    validate: ({ text }) => {
      const parsed = parseAnswerJson(text);
      if (!parsed.ok) return reject(parsed.reason);
      if (check(parsed.value)) return PASS;
      const problems = (check.errors ?? []).map(
        (error) => `${error.instancePath || '/'} ${error.message ?? ''}`,
      );
      return reject(`answer does not match the schema: ${problems.join('; ')}`);
    },
  };
}

/** True for a Standard Schema (zod, valibot, arktype, ...). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return typeof value === 'object' && value !== null && '~standard' in value;
}

/**
 * Rejects an answer whose text is not JSON accepted by a Standard Schema (zod, valibot, arktype...).
 * @example standardSchemaValidator(z.object({ title: z.string() }))
 */
export function standardSchemaValidator(schema: StandardSchemaV1): AnswerValidator {
  return {
    name: 'schema',
    validate: async ({ text }) => {
      const parsed = parseAnswerJson(text);
      if (!parsed.ok) return reject(parsed.reason);
      const result = await schema['~standard'].validate(parsed.value);
      if (result.issues === undefined) return PASS;
      const problems = result.issues.map((issue) => {
        const path = (issue.path ?? []).map((part) =>
          typeof part === 'object' ? String(part.key) : String(part),
        );
        return `${path.length > 0 ? path.join('.') : '/'}: ${issue.message}`;
      });
      return reject(`answer does not match the schema: ${problems.join('; ')}`);
    },
  };
}
