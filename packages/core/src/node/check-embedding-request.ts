import { CONFIG_DEFAULTS, type ResolvedRequestLimits } from '../config/resolve-config.js';
import type { EmbeddingRequest } from '../types/embeddings.js';
import { checkName } from './check-chat-request.js';
import { GatewayError } from './gateway-error.js';

/** The most inputs one request may carry, as OpenAI allows. */
export const MAX_EMBEDDING_INPUTS = 2048;

const invalid = (param: string, message: string): GatewayError =>
  new GatewayError({ code: 'invalid_parameter', param, message: `${param}: ${message}` });

const isTokenId = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;

const INPUT_SHAPES =
  'a non-empty string, an array of strings, an array of token ids or an array of token arrays';

/** Checks OpenAI's `input`, naming the item at fault (`input[3]`). */
function checkInput(input: unknown): void {
  if (typeof input === 'string') {
    if (input === '') throw invalid('input', `must be ${INPUT_SHAPES}; got an empty string`);
    return;
  }
  if (!Array.isArray(input)) throw invalid('input', `required: ${INPUT_SHAPES}`);
  if (input.length === 0) throw invalid('input', 'must not be an empty array');
  if (input.length > MAX_EMBEDDING_INPUTS)
    throw invalid('input', `must hold at most ${MAX_EMBEDDING_INPUTS} inputs, got ${input.length}`);
  const first = input[0];
  // The first item decides the shape; every other one must have it too.
  const [shape, fits]: [string, (item: unknown) => boolean] =
    typeof first === 'string'
      ? ['a non-empty string', (item) => typeof item === 'string' && item !== '']
      : typeof first === 'number'
        ? ['a token id (an integer >= 0)', isTokenId]
        : [
            'a non-empty array of token ids',
            (item) => Array.isArray(item) && item.length > 0 && item.every(isTokenId),
          ];
  input.forEach((item, index) => {
    if (!fits(item)) throw invalid(`input[${index}]`, `must be ${shape}, as input[0] is`);
  });
}

/**
 * Checks the fields of an embeddings request that the gateway relies on, naming the bad one:
 * `model`, `input` (and which item), `dimensions`, `encoding_format`, `user`; `model` and `user`
 * are names, as in a chat request (`maxNameLength`, no control character). The upstream checks
 * the rest.
 */
export function checkEmbeddingRequest(
  body: unknown,
  limits: Pick<ResolvedRequestLimits, 'maxNameLength'> = CONFIG_DEFAULTS.requestLimits,
): EmbeddingRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError({ code: 'invalid_json', message: 'request body must be a JSON object' });
  }
  const request = body as Record<string, unknown>;
  if (typeof request.model !== 'string' || request.model === '')
    throw invalid('model', 'required: a route, an alias or a model id');
  checkName('model', request.model, limits);
  checkInput(request.input);
  const { dimensions, encoding_format: encoding, user } = request;
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && (dimensions as number) >= 1))
    throw invalid('dimensions', 'must be a positive integer');
  if (encoding !== undefined && encoding !== 'float' && encoding !== 'base64')
    throw invalid('encoding_format', 'must be "float" or "base64"');
  if (user !== undefined && typeof user !== 'string') throw invalid('user', 'must be a string');
  if (typeof user === 'string') checkName('user', user, limits);
  return request as unknown as EmbeddingRequest;
}
