import type { StructuredOutputMethodOptions } from '@langchain/core/language_models/base';
import {
  createContentParser,
  createFunctionCallingParser,
} from '@langchain/core/language_models/structured_output';
import type { Runnable } from '@langchain/core/runnables';
import { toJsonSchema } from '@langchain/core/utils/json_schema';
import { isStandardSchema } from '@langchain/core/utils/standard_schema';
import { isInteropZodSchema } from '@langchain/core/utils/types';
import { type AnswerValidator, customValidator, jsonSchemaValidator, toValidator } from '@switchyard/core';
import type { ChatSwitchyardCallOptions, ResponseFormat } from './chat-switchyard-options.js';

/** How `withStructuredOutput` asks for the structure. */
export type StructuredOutputMethod = 'jsonSchema' | 'functionCalling' | 'jsonMode';

/** A zod (v3 or v4) schema, another Standard Schema, or a JSON Schema object. */
export type StructuredOutputSchema = object;

/** The call options and the parser that make a chat model answer with a structure. */
export interface StructuredOutputPlan {
  callOptions: Partial<ChatSwitchyardCallOptions>;
  parser: Runnable;
}

type JsonSchema = Record<string, unknown>;

/** The JSON Schema of a schema, without `$schema` (upstreams and ajv's default draft do not need it). */
export function asJsonSchema(schema: StructuredOutputSchema): JsonSchema {
  const json =
    isInteropZodSchema(schema) || isStandardSchema(schema)
      ? (toJsonSchema(schema as Parameters<typeof toJsonSchema>[0]) as JsonSchema)
      : (schema as JsonSchema);
  const { $schema: _ignored, ...rest } = json;
  return rest;
}

/** A validator of JSON text: the Standard Schema itself when it is one (zod...), else ajv on the JSON Schema. */
export function textValidatorOf(schema: StructuredOutputSchema): AnswerValidator {
  return isStandardSchema(schema)
    ? toValidator(schema as Parameters<typeof toValidator>[0])
    : jsonSchemaValidator(asJsonSchema(schema));
}

/**
 * The validator a `json_schema` response format implies, so that an answer which does not fit
 * is a `bad_output` (and escalates a cascade). An answer that calls tools instead passes: an agent
 * sends its tools and its response format together, and answers with JSON only at the end.
 * Undefined for other formats, and for a schema ajv cannot compile (the upstream is then the only judge).
 */
export function responseFormatValidator(format: ResponseFormat | undefined): AnswerValidator | undefined {
  if (format?.type !== 'json_schema' || format.json_schema.schema === undefined) return undefined;
  let inner: AnswerValidator;
  try {
    inner = textValidatorOf(format.json_schema.schema);
  } catch {
    return undefined;
  }
  return customValidator(inner.name, (input) => {
    const toolCalls = input.response.choices[0]?.message.tool_calls ?? [];
    return toolCalls.length > 0 && input.text.trim() === '' ? true : inner.validate(input);
  });
}

/** A validator of the arguments of the answer's call to `name`. */
function toolArgumentsValidator(name: string, inner: AnswerValidator): AnswerValidator {
  return customValidator('schema', (input) => {
    const call = input.response.choices[0]?.message.tool_calls?.find(
      (candidate) => 'function' in candidate && candidate.function.name === name,
    );
    if (call === undefined || !('function' in call)) return `the answer does not call ${name}`;
    return inner.validate({ ...input, text: call.function.arguments });
  });
}

/**
 * What `withStructuredOutput` binds: `response_format` json_schema (the default), a forced tool
 * call (`functionCalling`) or `json_object` (`jsonMode`), always with the schema as a per-call
 * validator, so an answer that does not fit is a `bad_output` and a cascade escalates; and
 * LangChain's own parser for the result.
 */
export function planStructuredOutput(
  schema: StructuredOutputSchema,
  config: StructuredOutputMethodOptions<boolean> = {},
): StructuredOutputPlan {
  const method = (config.method ?? 'jsonSchema') as StructuredOutputMethod;
  const name = config.name ?? 'extract';
  const json = asJsonSchema(schema);
  const description = typeof json.description === 'string' ? json.description : undefined;
  const strict = config.strict === undefined ? {} : { strict: config.strict };
  const textValidator = textValidatorOf(schema);
  const parserSchema = schema as Parameters<typeof createContentParser>[0];
  const tracing = (kind: string) => ({ kwargs: { method: kind }, schema: { title: name, ...json } });

  if (method === 'functionCalling') {
    return {
      callOptions: {
        tools: [{ type: 'function', function: { name, description, parameters: json, ...strict } }],
        tool_choice: { type: 'function', function: { name } },
        validate: [toolArgumentsValidator(name, textValidator)],
        ls_structured_output_format: tracing('function_calling'),
      },
      parser: createFunctionCallingParser(parserSchema, name),
    };
  }
  if (method === 'jsonMode') {
    return {
      callOptions: {
        response_format: { type: 'json_object' },
        validate: [textValidator],
        ls_structured_output_format: tracing('json_mode'),
      },
      parser: createContentParser(parserSchema),
    };
  }
  if (method !== 'jsonSchema') {
    throw new TypeError(
      `withStructuredOutput: unknown method "${method}" (jsonSchema, functionCalling or jsonMode)`,
    );
  }
  return {
    callOptions: {
      response_format: {
        type: 'json_schema',
        json_schema: { name, ...(description ? { description } : {}), schema: json, ...strict },
      },
      validate: [textValidator],
      ls_structured_output_format: tracing('json_schema'),
    },
    parser: createContentParser(parserSchema),
  };
}
