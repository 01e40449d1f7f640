/** Deepest nesting filled in; deeper objects become `{}` (guards against recursive schemas). */
const MAX_DEPTH = 8;

type Schema = Record<string, unknown>;

/**
 * A value that satisfies the usual constraints of a JSON Schema: objects get their required
 * properties (all properties when none are listed as required but `additionalProperties` is
 * false), strings `"example"` (or the first `enum` value / the `const`), numbers 1, booleans
 * true, arrays `[]`, null null. `$ref`s to `#/$defs/…` or `#/definitions/…` are followed;
 * `anyOf` / `oneOf` / `allOf` use their first branch.
 */
export function exampleFromSchema(schema: unknown): unknown {
  return exampleOf(asSchema(schema), { root: asSchema(schema), depth: 0 });
}

/** Walk state: the document root for `$ref`s and the current depth. */
interface Walk {
  root: Schema;
  depth: number;
}

function exampleOf(schema: Schema, walk: Walk): unknown {
  if (walk.depth > MAX_DEPTH) return {};
  const next = { root: walk.root, depth: walk.depth + 1 };
  if (typeof schema.$ref === 'string') return exampleOf(resolveReference(schema.$ref, walk.root), next);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
    const branches = schema[keyword];
    if (Array.isArray(branches) && branches.length > 0) {
      const branch = branches.find((candidate) => asSchema(candidate).type !== 'null') ?? branches[0];
      return exampleOf(asSchema(branch), next);
    }
  }
  switch (primaryType(schema)) {
    case 'string':
      return 'example';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'null':
      return null;
    case 'object':
      return objectExample(schema, next);
    default:
      return schema.properties === undefined ? {} : objectExample(schema, next);
  }
}

/** An object with the required properties filled in. */
function objectExample(schema: Schema, walk: Walk): Record<string, unknown> {
  const properties = asSchema(schema.properties);
  const names = Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === 'string')
    : schema.additionalProperties === false
      ? Object.keys(properties)
      : [];
  const result: Record<string, unknown> = {};
  for (const name of names) result[name] = exampleOf(asSchema(properties[name]), walk);
  return result;
}

/** The first non-null type of `type` (a string or an array of strings). */
function primaryType(schema: Schema): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((candidate) => candidate !== 'null') ?? type[0];
  return undefined;
}

/** Follows a local JSON pointer such as `#/$defs/Address`; unknown references give `{}`. */
function resolveReference(reference: string, root: Schema): Schema {
  if (!reference.startsWith('#')) return {};
  let node: unknown = root;
  for (const segment of reference.slice(1).split('/').filter(Boolean)) {
    node = asSchema(node)[segment.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return asSchema(node);
}

/** The value as a schema object (`{}` for anything else, including `true`). */
function asSchema(value: unknown): Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Schema) : {};
}
