import { decimalFromNumber } from '../config/decimal-amount.js';
import { type ProviderPolicy, QUANTIZATIONS } from './provider-policy.js';

const DECIMAL = /^\d+(\.\d+)?$/;
const SORTS = new Set(['price', 'throughput', 'latency', 'exacto']);
const QUANTIZATION_SET = new Set<string>(QUANTIZATIONS);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isNames = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '');

/**
 * A request's `provider` object, checked where Switchyard reads it (the fields it merges with
 * config); other fields pass through for the upstream to judge. `null` fields count as absent.
 * `max_price` amounts become decimal strings. Returns the problem (naming the field) of a bad one.
 * @example readRequestPolicy({ only: 'openai' }) // { problem: '"provider.only" must be an array of provider slugs' }
 */
export function readRequestPolicy(
  value: unknown,
): { policy: ProviderPolicy & Record<string, unknown> } | { problem: string } {
  if (!isObject(value)) return { problem: '"provider" must be an object' };
  const policy: ProviderPolicy & Record<string, unknown> = {};
  for (const [field, given] of Object.entries(value)) {
    if (given === null || given === undefined) continue;
    const problem = checkField(field, given);
    if (problem !== undefined) return { problem: `"provider.${field}" ${problem}` };
    policy[field] = given;
  }
  if (isObject(value.max_price)) {
    const prices: Record<string, string> = {};
    for (const [field, given] of Object.entries(value.max_price)) {
      if (given === null || given === undefined) continue;
      const text = typeof given === 'number' ? decimalFromNumber(given) : given;
      if (typeof text !== 'string' || !DECIMAL.test(text))
        return { problem: `"provider.max_price.${field}" must be a non-negative USD amount` };
      prices[field] = text;
    }
    policy.max_price = prices;
  }
  return { policy };
}

function checkField(field: string, value: unknown): string | undefined {
  switch (field) {
    case 'order':
    case 'only':
    case 'ignore':
      return isNames(value) ? undefined : 'must be an array of provider slugs';
    case 'allow_fallbacks':
    case 'zdr':
    case 'require_parameters':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'data_collection':
      return value === 'deny' || value === 'allow' ? undefined : 'must be "deny" or "allow"';
    case 'quantizations':
      return Array.isArray(value) && value.every((item) => QUANTIZATION_SET.has(item as string))
        ? undefined
        : `must be an array of ${QUANTIZATIONS.join(', ')}`;
    case 'sort':
      return (typeof value === 'string' && SORTS.has(value)) || isObject(value)
        ? undefined
        : 'must be "price", "throughput", "latency", "exacto" or { by, partition }';
    case 'max_price':
      return isObject(value) ? undefined : 'must be an object of USD amounts';
    default:
      return undefined;
  }
}
