import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import { GatewayError } from './gateway-error.js';

/** A `Content-Encoding` the gateway decompresses. */
export type BodyEncoding = 'gzip' | 'deflate' | 'br';

/** The encodings accepted, as a 415 answer's `Accept-Encoding` names them. */
const ACCEPTED = 'gzip, deflate, br';

const decoders = {
  gzip: promisify(gunzip),
  zlib: promisify(inflate),
  raw: promisify(inflateRaw),
  br: promisify(brotliDecompress),
};

/**
 * The compression of a request's body: undefined for none (no `Content-Encoding`, or `identity`).
 * @throws a 415 `unsupported_media_type` GatewayError for any other encoding, or several; the body
 *   is drained so the answer can still be sent
 */
export function contentEncoding(request: IncomingMessage): BodyEncoding | undefined {
  const header = request.headers['content-encoding'];
  if (header === undefined) return undefined;
  const encoding = header.trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') return 'gzip';
  if (encoding === 'deflate' || encoding === 'br') return encoding;
  request.resume();
  throw new GatewayError({
    code: 'unsupported_media_type',
    message: `Content-Encoding "${header}" is not supported; send the body uncompressed or as one of ${ACCEPTED}`,
    headers: { 'accept-encoding': ACCEPTED },
  });
}

/**
 * True when a deflate body starts with a zlib header (RFC 1950), as `Content-Encoding: deflate`
 * means; some clients send raw deflate (RFC 1951) instead, which is read too.
 */
function hasZlibHeader(body: Buffer): boolean {
  const first = body[0] ?? 0;
  const second = body[1] ?? 0;
  return body.length >= 2 && (first & 0x0f) === 8 && ((first << 8) | second) % 31 === 0;
}

/**
 * Decompresses a request body, off the main thread. Output past `limit` bytes stops the inflating
 * at once (zlib's `maxOutputLength`): a 413 `body_too_large`, whatever the body would have grown
 * to. A body that is not valid data of its encoding is a 400 `invalid_json` naming the encoding.
 */
export async function decompressBody(
  body: Buffer,
  options: { encoding: BodyEncoding; limit: number },
): Promise<Buffer> {
  const { encoding, limit } = options;
  const decode =
    encoding === 'deflate' ? (hasZlibHeader(body) ? decoders.zlib : decoders.raw) : decoders[encoding];
  let output: Buffer;
  try {
    // zlib refuses a maximum below 1; a larger result is still refused below.
    output = await decode(body, { maxOutputLength: Math.max(1, limit) });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(options);
    throw new GatewayError({
      code: 'invalid_json',
      message: `request body is not valid ${encoding} data (Content-Encoding: ${encoding}): ${(error as Error).message}`,
    });
  }
  if (output.length > limit) throw tooLarge(options);
  return output;
}

function tooLarge(options: { encoding: BodyEncoding; limit: number }): GatewayError {
  return new GatewayError({
    code: 'body_too_large',
    message: `request body is larger than ${options.limit} bytes once decompressed (Content-Encoding: ${options.encoding})`,
  });
}
