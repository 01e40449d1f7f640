/**
 * A condition of a `conditional` route's rule, over the caller, the request and its headers.
 * Keys are field names (all must hold) or `$and` / `$or` (lists of conditions) and `$not` (one
 * condition). A field's value is a literal (equality) or an object of operators that must all hold:
 * `$eq`, `$in` (a list), `$gt`, `$lt` (numbers), `$regex` (a JavaScript regular expression source).
 *
 * Fields: `caller.key`, `caller.user`, `caller.tags` (a list: `$eq` / `$in` / `$regex` hold when
 * some tag does), `request.model` (the name asked for), `request.tools` (true when the request
 * carries tools), `request.response_format` (its `type`: `text`, `json_object`, `json_schema`),
 * `request.stream`, `request.prompt_tokens` (a cheap estimate: characters / 4 plus overhead),
 * `request.max_tokens`, and `header.<name>` (any request header, by its lower-case name, but
 * the credentials: `authorization`, `proxy-authorization`, `x-api-key`, `cookie`).
 * @example { $or: [{ 'caller.tags': 'pro' }, { 'header.x-tier': { $in: ['gold', 'platinum'] } }] }
 */
export type RouteCondition = { [field: string]: unknown };

/** The operators a field may use. */
export const FIELD_OPERATORS = ['$eq', '$in', '$gt', '$lt', '$regex'] as const;

/** The fields a condition may read besides `header.<name>`, and the kind of their value. */
export const CONDITION_FIELDS: Readonly<Record<string, 'string' | 'list' | 'boolean' | 'number'>> = {
  'caller.key': 'string',
  'caller.user': 'string',
  'caller.tags': 'list',
  'request.model': 'string',
  'request.tools': 'boolean',
  'request.response_format': 'string',
  'request.stream': 'boolean',
  'request.prompt_tokens': 'number',
  'request.max_tokens': 'number',
};

/** Headers a rule may never read: the caller's credentials. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'cookie',
]);

/** The headers a (valid) condition reads, by lower-case name, each once, added to `into`. */
export function conditionHeaders(condition: RouteCondition, into: Set<string> = new Set()): Set<string> {
  for (const [key, value] of Object.entries(condition)) {
    if (key === '$and' || key === '$or')
      for (const each of value as RouteCondition[]) conditionHeaders(each, into);
    else if (key === '$not') conditionHeaders(value as RouteCondition, into);
    else if (key.startsWith('header.')) into.add(key.slice('header.'.length));
  }
  return into;
}

/** A problem in a condition: where (keys below the condition) and what. */
export interface ConditionIssue {
  path: Array<string | number>;
  message: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isLiteral = (value: unknown): boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** The kind of a field's value, or the problem with its name. */
export function fieldKind(
  field: string,
): { kind: 'string' | 'list' | 'boolean' | 'number' } | { problem: string } {
  if (field.startsWith('header.')) {
    const name = field.slice('header.'.length);
    if (name === '' || name !== name.toLowerCase())
      return { problem: `unknown field "${field}": name a header in lower case, e.g. "header.x-tier"` };
    if (SECRET_HEADERS.has(name)) return { problem: `a rule may not read the "${name}" header` };
    return { kind: 'string' };
  }
  const kind = CONDITION_FIELDS[field];
  if (kind === undefined) {
    return {
      problem: `unknown field "${field}": use ${Object.keys(CONDITION_FIELDS).join(', ')} or header.<name>`,
    };
  }
  return { kind };
}

/** Every problem of a condition (bad operator, bad regex, unknown field, wrong operand), with its path. */
export function conditionIssues(condition: unknown, path: Array<string | number> = []): ConditionIssue[] {
  if (!isObject(condition)) return [{ path, message: 'must be an object of fields and operators' }];
  const issues: ConditionIssue[] = [];
  if (Object.keys(condition).length === 0) issues.push({ path, message: 'must test at least one field' });
  for (const [key, value] of Object.entries(condition)) {
    const at = [...path, key];
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0) {
        issues.push({ path: at, message: 'must be a non-empty list of conditions' });
        continue;
      }
      value.forEach((each, index) => {
        issues.push(...conditionIssues(each, [...at, index]));
      });
    } else if (key === '$not') issues.push(...conditionIssues(value, at));
    else if (key.startsWith('$'))
      issues.push({ path: at, message: `unknown operator "${key}": use $and, $or, $not or a field name` });
    else issues.push(...fieldIssues(key, value, at));
  }
  return issues;
}

function fieldIssues(field: string, test: unknown, path: Array<string | number>): ConditionIssue[] {
  const found = fieldKind(field);
  if ('problem' in found) return [{ path, message: found.problem }];
  if (isLiteral(test)) return [];
  if (!isObject(test) || Object.keys(test).length === 0)
    return [{ path, message: `must be a value or an object of operators (${FIELD_OPERATORS.join(', ')})` }];
  const issues: ConditionIssue[] = [];
  for (const [operator, operand] of Object.entries(test)) {
    const at = [...path, operator];
    const problem = operandProblem(operator, operand, found.kind);
    if (problem !== undefined) issues.push({ path: at, message: problem });
  }
  return issues;
}

function operandProblem(operator: string, operand: unknown, kind: string): string | undefined {
  switch (operator) {
    case '$eq':
      return isLiteral(operand) ? undefined : 'must be a string, a number or a boolean';
    case '$in':
      return Array.isArray(operand) && operand.every(isLiteral)
        ? undefined
        : 'must be a list of strings, numbers or booleans';
    case '$gt':
    case '$lt':
      if (kind !== 'number')
        return `applies to number fields only (request.prompt_tokens, request.max_tokens)`;
      return typeof operand === 'number' && Number.isFinite(operand) ? undefined : 'must be a number';
    case '$regex':
      if (kind === 'number' || kind === 'boolean') return 'applies to text fields only';
      if (typeof operand !== 'string') return 'must be a regular expression as a string';
      try {
        new RegExp(operand);
        return undefined;
      } catch (error) {
        return `invalid regular expression: ${(error as Error).message}`;
      }
    default:
      return `unknown operator "${operator}": use ${FIELD_OPERATORS.join(', ')}`;
  }
}
