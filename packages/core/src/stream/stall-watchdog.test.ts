import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/support/fake-clock.js';
import { startStallWatchdog } from './stall-watchdog.js';

/** A watchdog on a fake clock that records the monotonic times at which it reported a stall. */
function setup(stallMs = 1_000, options: { startAt?: number } = {}) {
  const clock = createFakeClock();
  clock.advance(options.startAt ?? 0);
  const stalls: number[] = [];
  const watchdog = startStallWatchdog({ stallMs, clock, onStall: () => stalls.push(clock.monotonic()) });
  return { clock, watchdog, stalls };
}

describe('startStallWatchdog', () => {
  it('reports a stall once, after exactly stallMs of silence', () => {
    const { clock, stalls } = setup(1_000, { startAt: 5_000 });
    clock.advance(999);
    expect(stalls).toEqual([]);
    clock.advance(1);
    expect(stalls).toEqual([6_000]);
    clock.advance(60_000);
    expect(stalls).toEqual([6_000]);
    expect(clock.pending).toBe(0);
  });

  it('measures the silence from the last touch, to the millisecond', () => {
    const { clock, watchdog, stalls } = setup(1_000);
    clock.advance(600);
    watchdog.touch();
    clock.advance(999);
    expect(stalls).toEqual([]);
    clock.advance(1);
    expect(stalls).toEqual([1_600]);
  });

  it('never stalls while events keep coming, then stalls stallMs after the last one', () => {
    const { clock, watchdog, stalls } = setup(1_000);
    for (let event = 0; event < 50; event += 1) {
      clock.advance(999);
      watchdog.touch();
    }
    expect(stalls).toEqual([]);
    clock.advance(999);
    expect(stalls).toEqual([]);
    clock.advance(1);
    expect(stalls).toEqual([50 * 999 + 1_000]);
  });

  it('keeps one timer: touches schedule nothing, the timer is re-armed only when it fires', () => {
    const { clock, watchdog } = setup(1_000);
    expect(clock.pending).toBe(1);
    for (let event = 0; event < 20; event += 1) {
      clock.advance(10);
      watchdog.touch();
      expect(clock.pending).toBe(1);
    }
    clock.advance(800);
    expect(clock.pending).toBe(1);
  });

  it('never reports a stall once stopped', () => {
    const { clock, watchdog, stalls } = setup(1_000);
    clock.advance(500);
    watchdog.stop();
    expect(clock.pending).toBe(0);
    clock.advance(10_000);
    expect(stalls).toEqual([]);
  });

  it('never reports a stall when stopped after its timer was re-armed', () => {
    const { clock, watchdog, stalls } = setup(1_000);
    clock.advance(300);
    watchdog.touch();
    clock.advance(900);
    expect(stalls).toEqual([]);
    expect(clock.pending).toBe(1);
    watchdog.stop();
    expect(clock.pending).toBe(0);
    clock.advance(10_000);
    expect(stalls).toEqual([]);
  });

  it('ignores touch and stop after it reported the stall', () => {
    const { clock, watchdog, stalls } = setup(1_000);
    clock.advance(1_000);
    watchdog.touch();
    clock.advance(5_000);
    watchdog.stop();
    watchdog.stop();
    expect(stalls).toEqual([1_000]);
    expect(clock.pending).toBe(0);
  });
});
