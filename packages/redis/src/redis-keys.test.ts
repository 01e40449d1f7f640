import { describe, expect, it } from 'vitest';
import { storeKeys } from './redis-keys.js';

/** What Redis Cluster hashes a key by: its hash tag (first `{`, the next `}`, not empty), else all of it. */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('storeKeys', () => {
  it('gives the keys of every multi-key script one hash tag, whatever a bucket or target id holds', () => {
    const keys = storeKeys('switchyard');
    // A reservation (every budget of a request) and a settlement with its ledger entry.
    const money = [keys.budget('b0|*|0'), keys.budget('b1|{team}|0'), keys.budget('b2|u}{|0'), keys.ledger];
    expect(new Set(money.map(hashedPart))).toEqual(new Set(['switchyard']));
    // A breaker failure: the breakers hash and the target's failures; the latency hash apart.
    const health = [keys.breakers, keys.breakerFailures('mock/{x}'), keys.latency];
    expect(new Set(health.map(hashedPart))).toEqual(new Set(['switchyard:health']));
  });

  it('leaves rate-limit counters untagged, so that they spread over the primaries', () => {
    const keys = storeKeys('switchyard');
    expect(keys.limiter('limit:0:rpm')).toBe('switchyard:limit:0:rpm');
    expect(hashedPart(`${keys.limiter('limit:0:rpm')}:team-a`)).toBe('switchyard:limit:0:rpm:team-a');
  });

  it('refuses a prefix with braces, which would move the tags', () => {
    expect(() => storeKeys('{fleet}')).toThrow(/keyPrefix must not contain "\{" or "\}"/);
  });
});
