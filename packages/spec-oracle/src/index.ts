export {
  createSpecOracle,
  EMBEDDINGS_SCHEMAS,
  type KnownSchemaName,
  type SchemaName,
  type SpecOracle,
  type SpecOracleOptions,
  type SpecValidationResult,
} from './create-spec-oracle.js';
export { type FindSpecPathOptions, findSpecPath, SPEC_PATH_ENVIRONMENT_VARIABLE } from './find-spec-path.js';
