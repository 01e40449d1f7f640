import { describe, expect, it } from 'vitest';
import { redactKnownSecrets, redactSecrets } from './redact-secrets.js';

const KEY = 'or-v1-9f2c4e6a8b0d1f3e5a7c';
const SECRETS = [KEY];

const base64 = (text: string): string => Buffer.from(text).toString('base64');
const base64url = (text: string): string => Buffer.from(text).toString('base64url');

describe('redactKnownSecrets', () => {
  it('removes the key as it is, wherever it stands, and leaves other text alone', () => {
    expect(redactKnownSecrets(`key ${KEY} rejected; ${KEY}`, SECRETS)).toBe(
      'key [redacted] rejected; [redacted]',
    );
    expect(redactKnownSecrets(KEY, SECRETS)).toBe('[redacted]');
    expect(redactKnownSecrets('an answer about keys', SECRETS)).toBe('an answer about keys');
  });

  it('removes every end of the key of 8 characters or more, and no shorter one', () => {
    for (let length = 8; length <= KEY.length; length += 1) {
      const tail = KEY.slice(-length);
      expect(redactKnownSecrets(`key ending ${tail}, check it`, SECRETS)).toBe(
        'key ending [redacted], check it',
      );
    }
    const seven = KEY.slice(-7);
    expect(redactKnownSecrets(`short ${seven}`, SECRETS)).toBe(`short ${seven}`);
  });

  it('removes the key base64- and base64url-encoded, alone or inside a larger value at any offset', () => {
    for (const prefix of ['', 'u:', 'user:', 'Bearer ']) {
      for (const encode of [base64, base64url]) {
        const encoded = encode(`${prefix}${KEY}`);
        expect(redactKnownSecrets(`auth ${encoded} failed`, SECRETS), `${prefix} ${encoded}`).toBe(
          'auth [redacted] failed',
        );
      }
    }
    expect(redactKnownSecrets(`Basic ${base64(`api:${KEY}`)}`, SECRETS)).toBe('Basic [redacted]');
  });

  it('removes the key URL-encoded, also for a key with characters that encoding changes', () => {
    const odd = 'k+y/with=odd&chars!42';
    expect(redactKnownSecrets(`?key=${encodeURIComponent(odd)}&x=1`, [odd])).toBe('?[redacted]&x=1');
    expect(redactKnownSecrets(`https://up.example/v1?api_key=${encodeURIComponent(KEY)}`, SECRETS)).toBe(
      'https://up.example/v1?[redacted]',
    );
  });

  it('keeps JSON text valid: a match stops at quotes and backslashes', () => {
    const json = JSON.stringify({ content: `echo ${KEY}`, note: `"${KEY.slice(-12)}"`, raw: base64(KEY) });
    const redacted = redactKnownSecrets(json, SECRETS);
    expect(JSON.parse(redacted)).toEqual({
      content: 'echo [redacted]',
      note: '"[redacted]"',
      raw: '[redacted]',
    });
  });

  it('removes a key of under 8 characters only as it is, and ignores one under 4', () => {
    expect(redactKnownSecrets('pin abc12 and abc1', ['abc12', 'xyz'])).toBe('pin [redacted] and abc1');
    expect(redactKnownSecrets('xyz', ['xyz'])).toBe('xyz');
  });
});

describe('redactSecrets', () => {
  it('also removes anything shaped like an sk- key or a bearer token', () => {
    expect(redactSecrets('try sk-live-abcdefgh1234 or Bearer abcdefgh.ijk', [])).toBe(
      'try [redacted] or [redacted]',
    );
    expect(redactSecrets(`echo ${base64(KEY)}`, SECRETS)).toBe('echo [redacted]');
  });
});
