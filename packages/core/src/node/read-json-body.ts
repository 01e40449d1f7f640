import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { CONFIG_DEFAULTS } from '../config/resolve-config.js';
import { type BodyShapeLimits, checkBodyShape } from './check-body-shape.js';
import { contentEncoding, decompressBody } from './decompress-body.js';
import { GatewayError } from './gateway-error.js';

/** Default largest request body: 4 MiB (long prompts fit; a runaway upload does not). */
export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);

/**
 * Reads the whole body. Plain `data` / `end` listeners rather than an async iterator (a third of
 * the CPU of this step), and no copy for a body that came in one chunk. Past the limit the rest is
 * drained, not read, so the 413 can still be sent.
 */
function readBytes(
  request: IncomingMessage,
  options: { limit: number; tooLarge: () => GatewayError },
): Promise<Buffer> {
  const prematureClose = (): Error =>
    Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
  // Read already (a framework consumed it): nothing more will come.
  if (request.readableEnded) return Promise.resolve(EMPTY);
  if (request.destroyed) return Promise.reject(prematureClose());
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let size = 0;
    const stop = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > options.limit) {
        stop();
        request.resume();
        reject(options.tooLarge());
      } else if (first === undefined) first = chunk;
      else if (chunks === undefined) chunks = [first, chunk];
      else chunks.push(chunk);
    }
    function onEnd(): void {
      stop();
      if (chunks !== undefined) resolve(Buffer.concat(chunks, size));
      else resolve(first ?? EMPTY);
    }
    function onError(error: Error): void {
      stop();
      reject(error);
    }
    function onClose(): void {
      // Closed before the end: the client went away mid-body.
      stop();
      reject(prematureClose());
    }
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

/** Options of {@link readJsonBody}. */
export interface ReadJsonBodyOptions {
  /** Largest body, as sent and decompressed. @default 4 MiB */
  limitBytes?: number | undefined;
  /**
   * Nesting, key and string limits of the parsed body (the config's `requestLimits`).
   * @default the `requestLimits` defaults: 64 levels, 256-character keys, 4 Mi-character strings
   */
  shape?: BodyShapeLimits | undefined;
}

/**
 * Reads a request body as JSON, itself (no body-parser on the hot path): 413 past `limitBytes`
 * (checked against Content-Length first), 400 for a body that is not UTF-8 JSON, or whose shape is
 * past `shape` (nesting, key and string lengths; the `param` names the field). A body sent with
 * `Content-Encoding: gzip`, `deflate` or `br` is decompressed, the limit applying to what it
 * decompresses to as well (inflating stops as soon as it passes); another encoding is a 415
 * `unsupported_media_type`, a corrupt compressed body a 400 naming its encoding. A body a framework
 * already parsed (`req.body`) is used as it is.
 */
export async function readJsonBody(
  request: IncomingMessage & { body?: unknown },
  options: ReadJsonBodyOptions = {},
): Promise<unknown> {
  const shape = options.shape ?? CONFIG_DEFAULTS.requestLimits;
  if (
    request.body !== undefined &&
    typeof request.body === 'object' &&
    request.body !== null &&
    !Buffer.isBuffer(request.body)
  ) {
    checkBodyShape(request.body, shape);
    return request.body;
  }
  const limit = options.limitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const tooLarge = (): GatewayError =>
    new GatewayError({
      code: 'body_too_large',
      message: `request body is larger than ${limit} bytes`,
    });
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    throw tooLarge();
  }
  // Undefined for a plain body (no header, or `identity`), the fast path.
  const encoding = contentEncoding(request);
  const read = await readBytes(request, { limit, tooLarge });
  const body =
    encoding === undefined || read.length === 0 ? read : await decompressBody(read, { encoding, limit });
  // Decoding would replace bad bytes with U+FFFD silently: a model name would then not be the one sent.
  if (!isUtf8(body)) {
    throw new GatewayError({ code: 'invalid_json', message: 'request body is not valid UTF-8' });
  }
  const text = body.toString('utf8');
  if (text.trim() === '')
    throw new GatewayError({
      code: 'invalid_json',
      message: 'request body is empty; send a JSON object',
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new GatewayError({
      code: 'invalid_json',
      message: `request body is not valid JSON: ${(error as Error).message}`,
    });
  }
  checkBodyShape(parsed, shape);
  return parsed;
}
