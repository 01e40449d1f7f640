import type { ChatRequest } from '../types/chat.js';
import { GatewayError } from './gateway-error.js';

const invalid = (param: string, message: string): GatewayError =>
  new GatewayError({ code: 'invalid_parameter', param, message: `${param}: ${message}` });

const isInteger = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value);

/**
 * Checks the fields of a chat request that the gateway relies on, naming the bad one:
 * `model`, `messages`, `models`, `stream`, token limits, temperature. The upstream checks the rest.
 */
export function checkChatRequest(body: unknown): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError({
      code: 'invalid_json',
      message: 'request body must be a JSON object',
    });
  }
  const request = body as Record<string, unknown>;
  if (typeof request.model !== 'string' || request.model === '')
    throw invalid('model', 'required: a route, an alias or a model id');
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    throw invalid('messages', 'required: a non-empty array of messages');
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
