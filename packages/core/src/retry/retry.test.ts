import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { retryAfterMs } from './retry-after.js';

describe('backoffDelay', () => {
  it('draws a full-jitter delay under an exponential, capped ceiling', () => {
    const settings = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay({ ...settings, retry: 1, random: () => 0.999 })).toBe(99);
    expect(backoffDelay({ ...settings, retry: 3, random: () => 0.5 })).toBe(200);
    expect(backoffDelay({ ...settings, retry: 10, random: () => 0.999 })).toBe(999);
    expect(backoffDelay({ ...settings, retry: 2, random: () => 0 })).toBe(0);
  });
});

describe('retryAfterMs', () => {
  const now = 1_700_000_000_000;

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs({ headers: { 'retry-after': '2' }, now })).toBe(2000);
    expect(retryAfterMs({ headers: { 'retry-after': new Date(now + 3000).toUTCString() }, now })).toBe(3000);
  });

  it("falls back to OpenRouter's X-RateLimit-Reset, in the headers or the error metadata", () => {
    expect(retryAfterMs({ headers: { 'x-ratelimit-reset': String(now + 1500) }, now })).toBe(1500);
    const metadata = { headers: { 'X-RateLimit-Limit': '20', 'X-RateLimit-Reset': String(now + 700) } };
    expect(retryAfterMs({ headers: {}, metadata, now })).toBe(700);
  });

  it('says nothing when the upstream said nothing usable', () => {
    expect(retryAfterMs({ headers: {}, now })).toBeUndefined();
    expect(retryAfterMs({ headers: { 'retry-after': 'soon' }, now })).toBeUndefined();
  });
});
