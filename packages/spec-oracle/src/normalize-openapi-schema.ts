/**
 * Rewrites the few OpenAPI 3.0 leftovers in a 3.1 document that JSON Schema 2020-12 rejects, in place:
 * boolean `exclusiveMinimum` / `exclusiveMaximum` (3.0 style, paired with `minimum` / `maximum`)
 * become the numeric 2020-12 form. OpenRouter's document has one (`VideoGenerationRequest`'s
 * `upscale_factor`); without this, ajv cannot compile that schema.
 */
export function normalizeOpenApiSchema(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) normalizeOpenApiSchema(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  convertBooleanExclusive(record, { exclusive: 'exclusiveMinimum', bound: 'minimum' });
  convertBooleanExclusive(record, { exclusive: 'exclusiveMaximum', bound: 'maximum' });
  for (const value of Object.values(record)) normalizeOpenApiSchema(value);
}

/** Turns `{ exclusiveMinimum: true, minimum: 0 }` into `{ exclusiveMinimum: 0 }` (same for maximum). */
function convertBooleanExclusive(
  record: Record<string, unknown>,
  keys: { exclusive: string; bound: string },
): void {
  const flag = record[keys.exclusive];
  if (typeof flag !== 'boolean') return;
  const bound = record[keys.bound];
  delete record[keys.exclusive];
  if (flag && typeof bound === 'number') {
    record[keys.exclusive] = bound;
    delete record[keys.bound];
  }
}
