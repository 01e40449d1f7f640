import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ValidateConfig } from '../config/config-types.js';
import type { AnswerValidator, ValidationInput, ValidationVerdict } from './answer-validator.js';
import {
  customValidator,
  expectedModelValidator,
  jsonValidator,
  nonEmptyValidator,
  refusalValidator,
} from './built-in-validators.js';
import { isStandardSchema, jsonSchemaValidator, standardSchemaValidator } from './schema-validators.js';

/** Anything that can check an answer: a validator, a Standard Schema (zod...), or a function. */
export type ValidatorLike =
  | AnswerValidator
  | StandardSchemaV1
  | ((
      input: ValidationInput,
    ) => boolean | string | ValidationVerdict | Promise<boolean | string | ValidationVerdict>);

/** Turns a {@link ValidatorLike} into an {@link AnswerValidator}. */
export function toValidator(value: ValidatorLike): AnswerValidator {
  if (isStandardSchema(value)) return standardSchemaValidator(value);
  if (typeof value === 'function') return customValidator(value.name || 'custom', value);
  return value;
}

/** The validators a route's `validate` section asks for, in a fixed order. */
export function validatorsFromConfig(config: ValidateConfig | undefined): AnswerValidator[] {
  if (config === undefined) return [];
  const validators: AnswerValidator[] = [];
  if (config.nonEmpty) validators.push(nonEmptyValidator());
  if (config.refusal) validators.push(refusalValidator());
  if (config.expectedModel) validators.push(expectedModelValidator());
  if (config.schema !== undefined) validators.push(jsonSchemaValidator(config.schema));
  else if (config.json) validators.push(jsonValidator());
  return validators;
}
