import { Readable } from 'node:stream';
import {
  brotliCompressSync,
  constants,
  createBrotliCompress,
  deflateRawSync,
  deflateSync,
  gzipSync,
} from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompressBody } from './decompress-body.js';
import { GatewayError } from './gateway-error.js';

const rejection = async (promise: Promise<unknown>): Promise<GatewayError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!GatewayError.isInstance(error)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
};

describe('decompressBody', () => {
  const text = Buffer.from('{"model":"default","messages":[]}');

  it('reads gzip, zlib and raw deflate, and br', async () => {
    expect(await decompressBody(gzipSync(text), { encoding: 'gzip', limit: 1024 })).toEqual(text);
    expect(await decompressBody(deflateSync(text), { encoding: 'deflate', limit: 1024 })).toEqual(text);
    expect(await decompressBody(deflateRawSync(text), { encoding: 'deflate', limit: 1024 })).toEqual(text);
    expect(await decompressBody(brotliCompressSync(text), { encoding: 'br', limit: 1024 })).toEqual(text);
  });

  it('takes a body exactly at the limit, and refuses one byte more', async () => {
    const body = gzipSync(text);
    expect(await decompressBody(body, { encoding: 'gzip', limit: text.length })).toEqual(text);
    const error = await rejection(decompressBody(body, { encoding: 'gzip', limit: text.length - 1 }));
    expect(error).toMatchObject({ code: 'body_too_large', status: 413 });
    expect(error.message).toBe(
      `request body is larger than ${text.length - 1} bytes once decompressed (Content-Encoding: gzip)`,
    );
  });

  it('stops a br bomb (1 GiB of zeros) at the limit, with far less work than inflating it takes', async () => {
    const zeros = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const source = new Readable({
      read() {
        sent += zeros.length;
        this.push(sent <= 1024 ** 3 ? zeros : null);
      },
    });
    const parts: Buffer[] = [];
    const compress = createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
    for await (const part of source.pipe(compress)) parts.push(part as Buffer);
    const bomb = Buffer.concat(parts);
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    // CPU time, not wall time: a loaded machine stretches the latter. Inflating the whole GiB takes
    // several seconds of CPU here; stopping at 4 MiB takes tens of milliseconds.
    const cpu = process.cpuUsage();
    const error = await rejection(decompressBody(bomb, { encoding: 'br', limit: 4 * 1024 * 1024 }));
    expect(error.code).toBe('body_too_large');
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(1_000);
  });

  it('names the encoding of a corrupt body', async () => {
    const error = await rejection(
      decompressBody(Buffer.from('not brotli at all'), { encoding: 'br', limit: 1024 }),
    );
    expect(error).toMatchObject({ code: 'invalid_json', status: 400 });
    expect(error.message).toMatch(/^request body is not valid br data \(Content-Encoding: br\): /);
  });
});
