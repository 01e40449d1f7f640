import { describe, expect, it } from 'vitest';
import { singleFlight } from './single-flight.js';

describe('singleFlight', () => {
  it('never runs twice at once, and runs once more for calls made meanwhile', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const gate: Array<() => void> = [];
    const replay = singleFlight(async () => {
      runs += 1;
      active += 1;
      most = Math.max(most, active);
      await new Promise<void>((resolve) => gate.push(resolve));
      active -= 1;
    });
    const first = replay();
    const second = replay();
    void replay();
    expect(second).toBe(first);
    gate.shift()?.();
    await first;
    // The calls during the first run asked for one more, which starts once it ended.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(runs).toBe(2);
    gate.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect({ runs, most, active }).toEqual({ runs: 2, most: 1, active: 0 });
  });
});
