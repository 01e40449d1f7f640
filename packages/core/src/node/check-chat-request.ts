import { CONFIG_DEFAULTS, type ResolvedRequestLimits } from '../config/resolve-config.js';
import type { ChatRequest } from '../types/chat.js';
import { GatewayError } from './gateway-error.js';

const invalid = (param: string, message: string): GatewayError =>
  new GatewayError({ code: 'invalid_parameter', param, message: `${param}: ${message}` });

const isInteger = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value);

/** Whether a string holds a C0 control or DEL: CR/LF would split a header or a log line, NUL cuts strings short. */
function hasControl(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** A name that names a model or a caller: not empty past `maxNameLength`, no control character. */
export function checkName(
  param: string,
  value: string,
  limits: Pick<ResolvedRequestLimits, 'maxNameLength'>,
): void {
  if (value.length > limits.maxNameLength) {
    throw invalid(param, `longer than ${limits.maxNameLength} characters (requestLimits.maxNameLength)`);
  }
  if (hasControl(value)) throw invalid(param, 'must not contain control characters (CR, LF, NUL, …)');
}

/**
 * Checks the fields of a chat request that the gateway relies on, naming the bad one:
 * `model`, `messages`, `models`, `stream`, token limits, temperature; and the request limits that
 * are a chat request's own: how many `messages` and `models`, and that `model`, `models` and
 * `user` are names (`maxNameLength`, no control character: they reach headers and log lines). The
 * upstream checks the rest.
 */
export function checkChatRequest(
  body: unknown,
  limits: Pick<
    ResolvedRequestLimits,
    'maxMessages' | 'maxModels' | 'maxNameLength'
  > = CONFIG_DEFAULTS.requestLimits,
): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError({
      code: 'invalid_json',
      message: 'request body must be a JSON object',
    });
  }
  const request = body as Record<string, unknown>;
  if (typeof request.model !== 'string' || request.model === '')
    throw invalid('model', 'required: a route, an alias or a model id');
  checkName('model', request.model, limits);
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    throw invalid('messages', 'required: a non-empty array of messages');
  }
  if (request.messages.length > limits.maxMessages) {
    throw invalid('messages', `more than ${limits.maxMessages} messages (requestLimits.maxMessages)`);
  }
  request.messages.forEach((message, index) => {
    if (
      typeof message !== 'object' ||
      message === null ||
      typeof (message as { role?: unknown }).role !== 'string'
    ) {
      throw invalid(`messages[${index}]`, 'must be an object with a string "role"');
    }
  });
  if (
    request.models !== undefined &&
    (!Array.isArray(request.models) || request.models.some((name) => typeof name !== 'string'))
  ) {
    throw invalid('models', 'must be an array of model names');
  }
  if (Array.isArray(request.models)) {
    if (request.models.length > limits.maxModels) {
      throw invalid('models', `more than ${limits.maxModels} models (requestLimits.maxModels)`);
    }
    request.models.forEach((name: string, index) => {
      checkName(`models[${index}]`, name, limits);
    });
  }
  if (typeof request.user === 'string') checkName('user', request.user, limits);
  if (request.stream !== undefined && request.stream !== null && typeof request.stream !== 'boolean') {
    throw invalid('stream', 'must be a boolean');
  }
  for (const field of ['max_tokens', 'max_completion_tokens'] as const) {
    const value = request[field];
    if (value !== undefined && value !== null && (!isInteger(value) || (value as number) < 1)) {
      throw invalid(field, 'must be a positive integer');
    }
  }
  const temperature = request.temperature;
  if (
    temperature !== undefined &&
    temperature !== null &&
    (typeof temperature !== 'number' || temperature < 0 || temperature > 2)
  ) {
    throw invalid('temperature', 'must be a number from 0 to 2');
  }
  return request as unknown as ChatRequest;
}
