import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/support/fake-clock.js';
import { createCircuitBreaker } from './circuit-breaker.js';

describe('createCircuitBreaker', () => {
  const setup = () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({ failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000, clock });
    return { clock, breaker };
  };

  it('opens after N failures within the window', () => {
    const { breaker } = setup();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('takes another replica’s open state for the time it has left, and its reset', () => {
    const { clock, breaker } = setup();
    breaker.recordFailure();
    expect(breaker.troubled()).toBe(true);
    breaker.openFor(2_000);
    expect(breaker.state()).toBe('open');
    clock.advance(1_999);
    expect(breaker.state()).toBe('open');
    clock.advance(1);
    expect(breaker.state()).toBe('half_open');
    breaker.reset();
    expect(breaker.state()).toBe('closed');
    expect(breaker.troubled()).toBe(false);
  });

  it('forgets failures older than the window', () => {
    const { clock, breaker } = setup();
    breaker.recordFailure();
    breaker.recordFailure();
    clock.advance(10_001);
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
  });

  it('half-opens after the cooldown and lets exactly one probe through', () => {
    const { clock, breaker } = setup();
    for (let index = 0; index < 3; index += 1) breaker.recordFailure();
    clock.advance(4_999);
    expect(breaker.state()).toBe('open');
    clock.advance(1);
    expect(breaker.state()).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('closes when the probe succeeds and reopens when it fails', () => {
    const { clock, breaker } = setup();
    for (let index = 0; index < 3; index += 1) breaker.recordFailure();
    clock.advance(5_000);
    breaker.tryAcquire();
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    clock.advance(5_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state()).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('frees the probe slot when the probe ends without a verdict', () => {
    const { clock, breaker } = setup();
    for (let index = 0; index < 3; index += 1) breaker.recordFailure();
    clock.advance(5_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.release();
    expect(breaker.tryAcquire()).toBe(true);
  });
});
