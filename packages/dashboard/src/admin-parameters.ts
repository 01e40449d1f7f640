import { GatewayError } from '@switchyard/core/node';

/** The query of an admin request, one value per name (a repeated name is refused). */
export type AdminQuery = URLSearchParams;

const invalid = (param: string, message: string): GatewayError =>
  new GatewayError({ code: 'invalid_parameter', param, message });

/** The one value of a parameter, or undefined; a parameter given twice is refused by name. */
export function single(query: AdminQuery, param: string): string | undefined {
  const values = query.getAll(param);
  if (values.length > 1) throw invalid(param, `${param} must be given once`);
  return values[0];
}

/** A time as ISO 8601 or epoch milliseconds, in epoch ms. */
export function timeOf(query: AdminQuery, param: string): number | undefined {
  const text = single(query, param);
  if (text === undefined || text === '') return undefined;
  const value = /^\d+$/.test(text)
    ? Number(text)
    : /^\d{4}-\d\d-\d\d/.test(text)
      ? Date.parse(text)
      : Number.NaN;
  if (!Number.isFinite(value)) {
    throw invalid(param, `${param} must be an ISO 8601 time (2026-01-31T12:00:00Z) or epoch milliseconds`);
  }
  return value;
}

/** A positive integer at most `max`, or the default. */
export function countOf(query: AdminQuery, param: string, options: { default: number; max: number }): number {
  const text = single(query, param);
  if (text === undefined || text === '') return options.default;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= options.max)) {
    throw invalid(param, `${param} must be an integer from 1 to ${options.max}`);
  }
  return value;
}

/** One of `choices`, or undefined when absent. */
export function choiceOf<const Choice extends string>(
  query: AdminQuery,
  param: string,
  choices: readonly Choice[],
): Choice | undefined {
  const text = single(query, param);
  if (text === undefined || text === '') return undefined;
  if (!(choices as readonly string[]).includes(text))
    throw invalid(param, `${param} must be one of ${choices.join(', ')}`);
  return text as Choice;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration such as `30s`, `5m`, `1h` or `1d`, in ms. */
export function durationOf(query: AdminQuery, param: string): number | undefined {
  const text = single(query, param);
  if (text === undefined || text === '') return undefined;
  const match = /^([1-9]\d{0,5})([smhd])$/.exec(text);
  if (match === null) throw invalid(param, `${param} must be a duration such as 30s, 5m, 1h or 1d`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** The period [from, to) of a request: `to` defaults to now, `from` to `to` minus `span`. */
export function periodOf(
  query: AdminQuery,
  options: { now: number; span: number },
): { from: number; to: number } {
  const to = timeOf(query, 'to') ?? options.now;
  const from = timeOf(query, 'from') ?? to - options.span;
  if (from >= to) throw invalid('from', 'from must be before to');
  return { from, to };
}

/** Names the parameter at fault when a request has one the endpoint does not know. */
export function onlyKnown(query: AdminQuery, known: readonly string[]): void {
  for (const name of query.keys()) {
    if (!known.includes(name))
      throw invalid(name, `unknown parameter ${name}; this endpoint takes ${known.join(', ')}`);
  }
}

export { invalid as invalidParameter };
