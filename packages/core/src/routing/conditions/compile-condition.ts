import type { Caller } from '../../spend/spend-scope.js';
import type { RequestProfile } from '../request-profile.js';
import type { RouteCondition } from './route-condition.js';

/** Request headers by lower-case name, as Node gives them (`IncomingMessage.headers`). */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What a condition reads: who calls, what they ask, and the request's headers. */
export interface ConditionInput {
  readonly caller: Caller;
  /** The `model` the request named. */
  readonly model: string;
  readonly stream: boolean;
  readonly responseFormat: string | undefined;
  readonly profile: RequestProfile;
  readonly headers: RequestHeaders | undefined;
}

/** A compiled condition. */
export type ConditionTest = (input: ConditionInput) => boolean;

type Value = string | number | boolean | readonly string[] | undefined;
type Reader = (input: ConditionInput) => Value;

function readerOf(field: string): Reader {
  if (field.startsWith('header.')) {
    const name = field.slice('header.'.length);
    return (input) => {
      const value = input.headers?.[name];
      return Array.isArray(value) ? value.join(', ') : (value as string | undefined);
    };
  }
  switch (field) {
    case 'caller.key':
      return (input) => input.caller.key;
    case 'caller.user':
      return (input) => input.caller.user;
    case 'caller.tags':
      return (input) => input.caller.tags ?? [];
    case 'request.model':
      return (input) => input.model;
    case 'request.tools':
      return (input) => input.profile.tools;
    case 'request.response_format':
      return (input) => input.responseFormat;
    case 'request.stream':
      return (input) => input.stream;
    case 'request.prompt_tokens':
      return (input) => input.profile.promptTokensApprox;
    case 'request.max_tokens':
      return (input) => input.profile.maxTokens;
    default:
      throw new Error(`unknown condition field "${field}"`);
  }
}

/** A test on one value; a list (tags) passes when some item does. */
function onValue(test: (value: string | number | boolean) => boolean): (value: Value) => boolean {
  return (value) => {
    if (value === undefined) return false;
    if (Array.isArray(value)) return value.some((item) => test(item));
    return test(value as string | number | boolean);
  };
}

function operatorTest(operator: string, operand: unknown): (value: Value) => boolean {
  switch (operator) {
    case '$eq':
      return onValue((value) => value === operand);
    case '$in': {
      const allowed = new Set(operand as unknown[]);
      return onValue((value) => allowed.has(value));
    }
    case '$gt':
      return onValue((value) => typeof value === 'number' && value > (operand as number));
    case '$lt':
      return onValue((value) => typeof value === 'number' && value < (operand as number));
    case '$regex': {
      const expression = new RegExp(operand as string);
      return onValue((value) => typeof value === 'string' && expression.test(value));
    }
    default:
      throw new Error(`unknown operator "${operator}"`);
  }
}

/**
 * Compiles a condition (checked by `conditionIssues` when the config was validated) into a test:
 * regular expressions are built once here, never per request.
 * @example compileCondition({ 'request.tools': true })({ ...input }) // true when the request has tools
 */
export function compileCondition(condition: RouteCondition): ConditionTest {
  const tests: ConditionTest[] = [];
  for (const [key, value] of Object.entries(condition)) {
    if (key === '$and') {
      const all = (value as RouteCondition[]).map(compileCondition);
      tests.push((input) => all.every((test) => test(input)));
    } else if (key === '$or') {
      const any = (value as RouteCondition[]).map(compileCondition);
      tests.push((input) => any.some((test) => test(input)));
    } else if (key === '$not') {
      const inner = compileCondition(value as RouteCondition);
      tests.push((input) => !inner(input));
    } else {
      const read = readerOf(key);
      const checks =
        typeof value === 'object' && value !== null
          ? Object.entries(value).map(([operator, operand]) => operatorTest(operator, operand))
          : [operatorTest('$eq', value)];
      tests.push((input) => {
        const found = read(input);
        return checks.every((check) => check(found));
      });
    }
  }
  return tests.length === 1 ? (tests[0] as ConditionTest) : (input) => tests.every((test) => test(input));
}
