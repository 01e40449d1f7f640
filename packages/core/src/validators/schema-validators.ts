import type { StandardSchemaV1 } from '@standard-schema/spec';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { type AnswerValidator, PASS, passWith, reject } from './answer-validator.js';
import { parseAnswerJson } from './built-in-validators.js';

let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

/** An ajv instance for the schema's dialect: 2020-12 (zod 4's `z.toJSONSchema`) or draft-07 and older. */
function compilerFor(schema: Record<string, unknown>): Ajv | Ajv2020 {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (dialect.includes('2020-12') || dialect.includes('2019-09')) {
    draft2020 ??= new Ajv2020({ allErrors: true, strict: false });
    return draft2020;
  }
  draft07 ??= new Ajv({ allErrors: true, strict: false });
  return draft07;
}

/** True when the answer is a tool call rather than text: schema checks on text do not apply. */
function callsTools(input: {
  response: { choices: Array<{ message: { tool_calls?: unknown[] } }> };
  text: string;
}): boolean {
  return input.text.trim() === '' && (input.response.choices[0]?.message.tool_calls?.length ?? 0) > 0;
}

/**
 * Rejects an answer whose text is not JSON matching a JSON Schema (compiled once, with ajv, in the
 * schema's dialect: 2020-12 when its `$schema` says so, draft-07 otherwise). Tool-call answers pass.
 * @example jsonSchemaValidator({ type: 'object', required: ['title'], properties: { title: { type: 'string' } } })
 */
export function jsonSchemaValidator(schema: Record<string, unknown>): AnswerValidator {
  const check = compilerFor(schema).compile(schema);
  return {
    name: 'schema',
    validate: (input) => {
      if (callsTools(input)) return PASS;
      const { text } = input;
      const parsed = parseAnswerJson(text);
      if (!parsed.ok) return reject(parsed.reason);
      if (check(parsed.value)) return passWith(parsed.value);
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
 * Tool-call answers pass.
 * @example standardSchemaValidator(z.object({ title: z.string() }))
 */
export function standardSchemaValidator(schema: StandardSchemaV1): AnswerValidator {
  return {
    name: 'schema',
    validate: async (input) => {
      if (callsTools(input)) return PASS;
      const { text } = input;
      const parsed = parseAnswerJson(text);
      if (!parsed.ok) return reject(parsed.reason);
      const result = await schema['~standard'].validate(parsed.value);
      if (result.issues === undefined) return passWith(result.value);
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
