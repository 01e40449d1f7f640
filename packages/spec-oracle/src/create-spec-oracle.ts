import { existsSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { findSpecPath } from './find-spec-path.js';
import { normalizeOpenApiSchema } from './normalize-openapi-schema.js';
import { readOpenApiDocument } from './read-openapi-document.js';

/** `$id` under which the OpenAPI document is registered with ajv. */
const DOCUMENT_ID = 'https://switchyard.local/openrouter-openapi.json';

/** Schemas most tests check; any name under `components.schemas` works. */
export type KnownSchemaName =
  | 'ChatResult'
  | 'ChatStreamChunk'
  | 'Model'
  | 'ChatRequest'
  | 'BadRequestResponse'
  | 'UnauthorizedResponse'
  | 'PaymentRequiredResponse'
  | 'ForbiddenResponse'
  | 'NotFoundResponse'
  | 'RequestTimeoutResponse'
  | 'PayloadTooLargeResponse'
  | 'TooManyRequestsResponse'
  | 'InternalServerResponse'
  | 'BadGatewayResponse'
  | 'ServiceUnavailableResponse';

/** A schema name from `components.schemas` of the OpenAPI document, or a JSON pointer into it. */
export type SchemaName = KnownSchemaName | (string & {});

/**
 * The schemas of `POST /embeddings`, which the document writes inline (not under
 * `components.schemas`): JSON pointers any `validate` takes in place of a name.
 */
export const EMBEDDINGS_SCHEMAS = {
  request: '#/paths/~1embeddings/post/requestBody/content/application~1json/schema',
  response: '#/paths/~1embeddings/post/responses/200/content/application~1json/schema',
} as const;

/** Outcome of {@link SpecOracle.validate}. */
export interface SpecValidationResult {
  /** Whether the value matches the schema. */
  valid: boolean;
  /** ajv's errors, one per line (`instancePath message`); empty when valid. */
  errors: string;
}

/** Validates values against schemas of OpenRouter's official OpenAPI document. */
export interface SpecOracle {
  /** Absolute path of the loaded OpenAPI document. */
  readonly specPath: string;
  /**
   * Validates `value` against `#/components/schemas/<schemaName>`, or against the schema a JSON
   * pointer names (`#/paths/...`, e.g. {@link EMBEDDINGS_SCHEMAS}).
   */
  validate(schemaName: SchemaName, value: unknown): SpecValidationResult;
  /**
   * Throws an Error listing ajv's errors when `value` does not match the schema.
   * @example oracle.assertValid('ChatResult', await response.json());
   */
  assertValid(schemaName: SchemaName, value: unknown): void;
}

/** Options of {@link createSpecOracle}. */
export interface SpecOracleOptions {
  /**
   * Path of the OpenAPI YAML document.
   * @default env `SWITCHYARD_OPENROUTER_SPEC`, else `shared/specs/openrouter-openapi.yaml` in the
   * current directory or its nearest ancestor that has one
   */
  specPath?: string;
}

// ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, whose `default`
// property is the plugin itself.
const addFormats = addFormatsModule.default;

/** One parsed document and one ajv instance per spec path, shared by every oracle of the process. */
const loadedDocuments = new Map<string, { ajv: Ajv2020; schemaNames: Set<string> }>();

/**
 * Creates a validator backed by OpenRouter's OpenAPI 3.1 document (parsed once per process and
 * cached as JSON in the OS temp directory across processes; each schema compiled once on first use). ajv runs in JSON Schema 2020-12 mode with `strict: false`, so
 * OpenAPI keywords such as `example`, `discriminator` and `x-*` are ignored.
 * @example
 * const oracle = createSpecOracle();
 * oracle.assertValid('ChatStreamChunk', chunk);
 */
export function createSpecOracle(options: SpecOracleOptions = {}): SpecOracle {
  const specPath = options.specPath ?? findSpecPath();
  const { ajv, schemaNames } = loadDocument(specPath);
  const validators = new Map<string, ValidateFunction>();

  const validatorFor = (schemaName: string): ValidateFunction => {
    const cached = validators.get(schemaName);
    if (cached) return cached;
    const pointer = schemaName.startsWith('#/') ? schemaName : undefined;
    if (pointer === undefined && !schemaNames.has(schemaName)) {
      throw new Error(`Schema "${schemaName}" is not under components.schemas of ${specPath}.`);
    }
    const validator = ajv.compile({
      $ref: `${DOCUMENT_ID}${pointer ?? `#/components/schemas/${schemaName}`}`,
    });
    validators.set(schemaName, validator);
    return validator;
  };

  const validate = (schemaName: SchemaName, value: unknown): SpecValidationResult => {
    const validator = validatorFor(schemaName);
    const valid = validator(value);
    return { valid, errors: valid ? '' : formatErrors(validator.errors ?? []) };
  };

  return {
    specPath,
    validate,
    assertValid(schemaName, value) {
      const result = validate(schemaName, value);
      if (!result.valid) {
        const shown = JSON.stringify(value)?.slice(0, 2_000);
        throw new Error(`Value does not match ${schemaName}:\n${result.errors}\nValue: ${shown}`);
      }
    },
  };
}

/** Parses the YAML document and registers it with a fresh ajv instance (cached per path). */
function loadDocument(specPath: string): { ajv: Ajv2020; schemaNames: Set<string> } {
  const cached = loadedDocuments.get(specPath);
  if (cached) return cached;
  if (!existsSync(specPath)) throw new Error(`OpenRouter OpenAPI document not found at ${specPath}.`);
  const document = readOpenApiDocument(specPath);
  normalizeOpenApiSchema(document);
  const components = document.components as { schemas?: Record<string, unknown> } | undefined;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const loaded = { ajv, schemaNames: new Set(Object.keys(components?.schemas ?? {})) };
  loadedDocuments.set(specPath, loaded);
  return loaded;
}

/** One line per ajv error: `<instance path> <message> <params>`. */
function formatErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map(
      (error) =>
        `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`,
    )
    .join('\n');
}
