import { OUTCOME_CODES, OUTCOME_RULES, type OutcomeCode } from './outcome-codes.js';

/**
 * The codes of the errors the HTTP gateway answers with itself, around the router: a bad body or
 * field, a body encoding it cannot read, a missing or unknown key, a route the key may not use, a
 * cross-origin preflight from an origin not listed, a wrong method or path, a client that left, and
 * an HTTP error of the web framework the gateway runs in.
 */
export const GATEWAY_CODES = [
  'invalid_json',
  'invalid_parameter',
  'missing_api_key',
  'invalid_api_key',
  'route_not_allowed',
  'body_too_large',
  'unsupported_media_type',
  'origin_not_allowed',
  'method_not_allowed',
  'not_found',
  'client_closed',
  'http_error',
] as const;

/** One of {@link GATEWAY_CODES}. */
export type GatewayCode = (typeof GATEWAY_CODES)[number];

/** Every code a Switchyard error carries: the outcome codes of routing, then the gateway's own. */
export const ERROR_CODES = [...OUTCOME_CODES, ...GATEWAY_CODES] as const;

/** One of {@link ERROR_CODES}: the closed union of every Switchyard error's `code`. */
export type ErrorCode = OutcomeCode | GatewayCode;

/** The `type` of OpenAI's error JSON. */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'insufficient_quota'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'request_aborted'
  | 'timeout_error'
  | 'api_error';

/** How an error of one code is answered over HTTP. */
export interface ErrorRule {
  /** HTTP status an adapter answers with. */
  readonly status: number;
  /** The `type` of OpenAI's error JSON. */
  readonly type: OpenAIErrorType;
}

/** OpenAI's error `type` of each outcome code (their status is the one in `OUTCOME_RULES`). */
const OUTCOME_TYPES: Readonly<Record<OutcomeCode, OpenAIErrorType>> = {
  invalid_request: 'invalid_request_error',
  auth: 'api_error',
  payment_required: 'api_error',
  moderation: 'permission_error',
  not_supported: 'not_found_error',
  context_length: 'invalid_request_error',
  rate_limited: 'rate_limit_error',
  upstream_unavailable: 'api_error',
  timeout: 'timeout_error',
  network: 'api_error',
  invalid_response: 'api_error',
  upstream_too_large: 'api_error',
  bad_output: 'api_error',
  policy_violation: 'api_error',
  aborted: 'request_aborted',
  deadline_exceeded: 'timeout_error',
  no_route: 'not_found_error',
  all_targets_failed: 'api_error',
  stream_interrupted: 'api_error',
  budget_exceeded: 'insufficient_quota',
  cost_ceiling: 'insufficient_quota',
  unpriced_model: 'insufficient_quota',
  store_unavailable: 'api_error',
  invalid_config: 'api_error',
};

/** Status and type of the gateway's own codes. */
const GATEWAY_RULES: Readonly<Record<GatewayCode, ErrorRule>> = {
  invalid_json: { status: 400, type: 'invalid_request_error' },
  invalid_parameter: { status: 400, type: 'invalid_request_error' },
  missing_api_key: { status: 401, type: 'authentication_error' },
  invalid_api_key: { status: 401, type: 'authentication_error' },
  route_not_allowed: { status: 403, type: 'permission_error' },
  origin_not_allowed: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  method_not_allowed: { status: 405, type: 'invalid_request_error' },
  body_too_large: { status: 413, type: 'invalid_request_error' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error' },
  client_closed: { status: 499, type: 'request_aborted' },
  // The framework's error brings its own status (`ctx.throw(401)`); 400 when it has none.
  http_error: { status: 400, type: 'invalid_request_error' },
};

/**
 * The one table from error code to HTTP status and OpenAI error type. The statuses of the outcome
 * codes are those of `OUTCOME_RULES`, which also holds what the router does after each.
 */
export const ERROR_RULES: Readonly<Record<ErrorCode, ErrorRule>> = {
  ...(Object.fromEntries(
    OUTCOME_CODES.map((code) => [code, { status: OUTCOME_RULES[code].status, type: OUTCOME_TYPES[code] }]),
  ) as Record<OutcomeCode, ErrorRule>),
  ...GATEWAY_RULES,
};

/** Type guard for a string that names an error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_RULES, value);
}

/** The type of the codes answered with each status (codes that share a status share a type). */
const TYPE_BY_STATUS: ReadonlyMap<number, OpenAIErrorType> = new Map(
  Object.values(ERROR_RULES).map((rule) => [rule.status, rule.type]),
);

/**
 * OpenAI's error type of an answer: its code's, or, for an error answered with another status than
 * its code's (an http-errors error, a status override), the type the table gives that status;
 * `api_error` for a status no code has.
 */
export function openAIErrorType(answer: {
  code?: string | null | undefined;
  status: number;
}): OpenAIErrorType {
  const rule = isErrorCode(answer.code) ? ERROR_RULES[answer.code] : undefined;
  if (rule !== undefined && rule.status === answer.status) return rule.type;
  return TYPE_BY_STATUS.get(answer.status) ?? 'api_error';
}
