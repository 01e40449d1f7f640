import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { MODELS } from './suite-config.js';
import { ask, type ErrorBody, type SuiteContext, send } from './suite-context.js';

const CHAT = '/chat/completions';
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/**
 * 1 GiB of zeros, gzipped to about 1 MiB: one gzip member of a zeroed MiB, 1,024 times over (a gzip
 * stream may hold several members, and inflates to all of them). The GiB is never in memory, and
 * the bomb takes milliseconds to make: compressing the GiB itself takes seconds of CPU that other
 * tests running beside this one would miss.
 */
function gzipBomb(): Buffer {
  const member = gzipSync(Buffer.alloc(MIB), { level: 9 });
  return Buffer.concat(Array.from({ length: GIB / MIB }, () => member));
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
    const compressed = gzipBomb();
    // Well under the 4 MiB limit as sent: only the decompressed size can refuse it.
    expect(compressed.length).toBeLessThan(2 * 1024 * 1024);
    // CPU time, not wall time (a loaded machine stretches that): every app in the suite runs in
    // this process, so this counts the gateway's inflating.
    const cpu = process.cpuUsage();
    const response = await send(context, {
      path: CHAT,
      body: compressed,
      headers: { 'content-encoding': 'gzip' },
    });
    expect(response.status).toBe(413);
    const { error } = (await response.json()) as ErrorBody;
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'body_too_large' });
    expect(error.message).toContain('once decompressed (Content-Encoding: gzip)');
    // Inflating the whole GiB would take seconds of CPU; stopping at the limit takes milliseconds.
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(1_500);
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
