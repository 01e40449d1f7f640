import type { ResolvedRequestLimits } from '../config/resolve-config.js';
import { GatewayError } from './gateway-error.js';

/** What {@link checkBodyShape} bounds. */
export type BodyShapeLimits = Pick<ResolvedRequestLimits, 'maxDepth' | 'maxNameLength' | 'maxStringLength'>;

type Path = Array<string | number>;

/** Longest key shown in a `param`: a hostile key is named, not repeated whole. */
const SHOWN_KEY = 64;

/** A path as a field name: `messages[0].content`, `metadata.tags[2]`. */
export function fieldName(path: readonly (string | number)[]): string {
  let name = '';
  for (const segment of path) {
    if (typeof segment === 'number') name += `[${segment}]`;
    else {
      const shown = segment.length > SHOWN_KEY ? `${segment.slice(0, SHOWN_KEY)}…` : segment;
      name += name === '' ? shown : `.${shown}`;
    }
  }
  return name === '' ? 'body' : name;
}

const invalid = (param: string, message: string): GatewayError =>
  new GatewayError({ code: 'invalid_parameter', param, message: `${param}: ${message}` });

/**
 * Checks the shape of a parsed JSON body in one walk that stops at `maxDepth`: nesting of arrays
 * and objects (the body is level 1), the length of every string and every object key. Throws a
 * 400 `invalid_parameter` naming the field. Why: JSON.parse accepts any depth, but serializing a
 * body nested a few thousand levels deep (for the upstream, for a log) overflows the stack, and a
 * failure there must not pass for the upstream's. The walk recurses at most `maxDepth` levels.
 */
export function checkBodyShape(body: unknown, limits: BodyShapeLimits): void {
  const path: Path = [];
  const visit = (value: unknown, depth: number): void => {
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) {
        throw invalid(
          fieldName(path),
          `longer than ${limits.maxStringLength} characters (requestLimits.maxStringLength)`,
        );
      }
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (depth > limits.maxDepth) {
      // The field that holds the nesting, not the whole way down to it.
      throw invalid(
        fieldName(path.slice(0, 2)),
        `nested deeper than ${limits.maxDepth} levels (requestLimits.maxDepth)`,
      );
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index += 1) {
        path.push(index);
        visit(value[index], depth + 1);
        path.pop();
      }
      return;
    }
    for (const key of Object.keys(value)) {
      path.push(key);
      if (key.length > limits.maxNameLength) {
        throw invalid(
          fieldName(path),
          `key longer than ${limits.maxNameLength} characters (requestLimits.maxNameLength)`,
        );
      }
      visit((value as Record<string, unknown>)[key], depth + 1);
      path.pop();
    }
  };
  visit(body, 1);
}
