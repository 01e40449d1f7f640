import { parseUsd } from '../pricing/money.js';

/** The lower of two cost ceilings in USD as decimal strings (either may be absent). */
export function lowerCeiling(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return parseUsd(a) <= parseUsd(b) ? a : b;
}
