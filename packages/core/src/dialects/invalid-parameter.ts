import { GatewayError } from '../node/gateway-error.js';

/**
 * A 400 `invalid_parameter` naming the field at fault (`input[2].content[0].type`), the message
 * saying what is wrong with it. Every door renders it in its own error shape.
 */
export function invalidParameter(param: string, message: string): GatewayError {
  return new GatewayError({ code: 'invalid_parameter', param, message: `${param}: ${message}` });
}

/** The JSON type of a value, for messages (`got an array`). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Throws for the first field of `body` a protocol does not know, naming it: a typo or a feature the
 * door cannot honour must not be dropped silently.
 */
export function rejectUnknownFields(
  body: Record<string, unknown>,
  known: ReadonlySet<string>,
  where: { prefix?: string; protocol: string },
): void {
  for (const field of Object.keys(body)) {
    if (!known.has(field)) {
      throw invalidParameter(`${where.prefix ?? ''}${field}`, `unknown parameter for the ${where.protocol}`);
    }
  }
}
