import { describe, expect, it } from 'vitest';
import { GatewayError } from '../node/gateway-error.js';
import { ERROR_CODES, ERROR_RULES, GATEWAY_CODES, openAIErrorType } from './error-codes.js';
import { OUTCOME_CODES, OUTCOME_RULES } from './outcome-codes.js';
import { SwitchyardError } from './switchyard-error.js';

/** OpenAI's error type by HTTP status, as the gateway has always answered. */
const TYPES_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'insufficient_quota',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
  499: 'request_aborted',
  504: 'timeout_error',
};

describe('the error table', () => {
  it('holds every outcome code with its status, then the gateway codes', () => {
    expect(ERROR_CODES).toEqual([...OUTCOME_CODES, ...GATEWAY_CODES]);
    expect(Object.keys(ERROR_RULES).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of OUTCOME_CODES) expect(ERROR_RULES[code].status).toBe(OUTCOME_RULES[code].status);
  });

  it('gives each code the OpenAI type of its status, and codes of one status one type', () => {
    for (const code of ERROR_CODES) {
      const { status, type } = ERROR_RULES[code];
      expect([code, type]).toEqual([code, TYPES_BY_STATUS[status] ?? 'api_error']);
    }
    // An error answered with another status than its code's takes that status's type.
    expect(openAIErrorType({ code: 'http_error', status: 401 })).toBe('authentication_error');
    expect(openAIErrorType({ code: 'invalid_request', status: 418 })).toBe('api_error');
    expect(openAIErrorType({ status: 404 })).toBe('not_found_error');
  });

  it('makes a GatewayError a SwitchyardError: status from the table, always exposed, never retryable', () => {
    const error = new GatewayError({ code: 'client_closed', message: 'client closed the connection' });
    expect(SwitchyardError.isInstance(error)).toBe(true);
    expect(GatewayError.isInstance(new SwitchyardError({ code: 'not_found', message: 'x' }))).toBe(false);
    expect(error).toMatchObject({ status: 499, expose: true, headers: {}, retryable: false });
    expect(new GatewayError({ code: 'http_error', status: 503, message: 'down' }).expose).toBe(true);
  });
});
