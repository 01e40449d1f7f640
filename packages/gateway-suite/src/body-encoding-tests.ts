import { Readable } from 'node:stream';
import { brotliCompressSync, createGzip, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { MODELS } from './suite-config.js';
import { ask, type ErrorBody, type SuiteContext, send } from './suite-context.js';

const CHAT = '/chat/completions';
const GIB = 1024 ** 3;

let bomb: Promise<Buffer> | undefined;

/**
 * 1 GiB of zeros, gzipped (about 1 MiB): made as a stream, one zeroed MiB at a time, so the GiB is
 * never in memory; made once per process.
 */
function gzipBomb(): Promise<Buffer> {
  bomb ??= (async () => {
    const zeros = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const source = new Readable({
      read() {
        sent += zeros.length;
        this.push(sent <= GIB ? zeros : null);
      },
    });
    const parts: Buffer[] = [];
    for await (const part of source.pipe(createGzip({ level: 9 }))) parts.push(part as Buffer);
    return Buffer.concat(parts);
  })();
  return bomb;
}

/** A chat request as JSON bytes. */
const bodyOf = (content: string): Buffer => Buffer.from(JSON.stringify(ask('default', content)));

/** Request bodies with `Content-Encoding`: decompressed, limited after decompression, or refused. */
export function defineBodyEncodingTests(context: SuiteContext): void {
  it('reads gzip, deflate (zlib or raw) and br bodies', async () => {
    const encodings = [
      { encoding: 'gzip', compress: gzipSync },
      { encoding: 'deflate', compress: deflateSync },
      { encoding: 'deflate', compress: deflateRawSync },
      { encoding: 'br', compress: brotliCompressSync },
    ];
    for (const { encoding, compress } of encodings) {
      const content = `Hello in ${encoding} (${compress.name})`;
      const response = await send(context, {
        path: CHAT,
        body: compress(bodyOf(content)),
        headers: { 'content-encoding': encoding },
      });
      expect([encoding, response.status]).toEqual([encoding, 200]);
      const answer = (await response.json()) as { choices: Array<{ message: { content: string } }> };
      expect(answer.choices[0]?.message.content).toBe(
        `Mock reply from ${MODELS.premium}: you said "${content}".`,
      );
    }
  });

  it('413 for a gzip bomb (1 GiB of zeros), inflating no further than the limit; the gateway lives on', async () => {
    const compressed = await gzipBomb();
    // Well under the 4 MiB limit as sent: only the decompressed size can refuse it.
    expect(compressed.length).toBeLessThan(2 * 1024 * 1024);
    const started = performance.now();
    const response = await send(context, {
      path: CHAT,
      body: compressed,
      headers: { 'content-encoding': 'gzip' },
    });
    expect(response.status).toBe(413);
    const { error } = (await response.json()) as ErrorBody;
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'body_too_large' });
    expect(error.message).toContain('once decompressed (Content-Encoding: gzip)');
    // Inflating the whole GiB would take seconds; stopping at the limit takes milliseconds.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(context.mock.requests).toHaveLength(0);

    const after = await send(context, { path: CHAT, body: ask('default', 'Still there?') });
    expect(after.status).toBe(200);
    await after.text();
  });

  it('415 for an encoding it cannot read, 400 naming the encoding of a corrupt body', async () => {
    const unknown = await send(context, {
      path: CHAT,
      body: bodyOf('zstd, maybe'),
      headers: { 'content-encoding': 'zstd' },
    });
    expect(unknown.status).toBe(415);
    expect(unknown.headers.get('accept-encoding')).toBe('gzip, deflate, br');
    const refused = ((await unknown.json()) as ErrorBody).error;
    expect(refused).toMatchObject({ type: 'invalid_request_error', code: 'unsupported_media_type' });
    expect(refused.message).toBe(
      'Content-Encoding "zstd" is not supported; send the body uncompressed or as one of gzip, deflate, br',
    );

    const corrupt = await send(context, {
      path: CHAT,
      body: gzipSync(bodyOf('cut short')).subarray(0, 20),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(corrupt.status).toBe(400);
    const error = ((await corrupt.json()) as ErrorBody).error;
    expect(error.code).toBe('invalid_json');
    expect(error.message).toMatch(/^request body is not valid gzip data \(Content-Encoding: gzip\): /);

    // A plain body sent as gzip (a client that forgot to compress) says so, not what the bytes were.
    const plain = await send(context, {
      path: CHAT,
      body: bodyOf('plain'),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as ErrorBody).error.message).toContain('not valid gzip data');
    expect(context.mock.requests).toHaveLength(0);
  });
}
