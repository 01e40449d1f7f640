import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/support/fake-clock.js';
import { createDeadlineScheduler } from './deadline-scheduler.js';

/** A scheduler on a fake clock, and a log of which deadlines fired at which monotonic time. */
function setup() {
  const clock = createFakeClock();
  const scheduler = createDeadlineScheduler(clock);
  const fired: string[] = [];
  const at = (name: string) => () => fired.push(`${name}@${clock.monotonic()}`);
  return { clock, scheduler, fired, at };
}

describe('createDeadlineScheduler', () => {
  it('fires a deadline at its exact millisecond and not one before', () => {
    const { clock, scheduler, fired, at } = setup();
    clock.advance(1_000);
    scheduler.schedule(250, at('a'));
    clock.advance(249);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual(['a@1250']);
    clock.advance(10_000);
    expect(fired).toEqual(['a@1250']);
    expect(clock.pending).toBe(0);
  });

  it('fires a zero deadline on the next tick of the clock', () => {
    const { clock, scheduler, fired, at } = setup();
    scheduler.schedule(0, at('now'));
    expect(fired).toEqual([]);
    clock.advance(0);
    expect(fired).toEqual(['now@0']);
  });

  it('runs many uniform deadlines on one timer of the clock, each at its own time', () => {
    const { clock, scheduler, fired, at } = setup();
    for (let index = 0; index < 100; index += 1) {
      if (index > 0) clock.advance(10);
      scheduler.schedule(1_000, at(`r${index}`));
      expect(clock.pending).toBe(1);
    }
    clock.advance(9);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual(['r0@1000']);
    expect(clock.pending).toBe(1);
    clock.advance(989);
    expect(fired).toHaveLength(99);
    expect(fired.at(-1)).toBe('r98@1980');
    expect(clock.pending).toBe(1);
    clock.advance(1);
    expect(fired).toHaveLength(100);
    expect(fired.at(-1)).toBe('r99@1990');
    expect(clock.pending).toBe(0);
  });

  it('never fires a deadline cancelled before its time, and fires the others', () => {
    const { clock, scheduler, fired, at } = setup();
    const cancelA = scheduler.schedule(100, at('a'));
    scheduler.schedule(200, at('b'));
    cancelA();
    clock.advance(500);
    expect(fired).toEqual(['b@200']);
    expect(clock.pending).toBe(0);
  });

  it('lets a cancel after the deadline fired do nothing', () => {
    const { clock, scheduler, fired, at } = setup();
    const cancel = scheduler.schedule(100, at('a'));
    clock.advance(100);
    cancel();
    cancel();
    scheduler.schedule(50, at('b'));
    clock.advance(50);
    expect(fired).toEqual(['a@100', 'b@150']);
  });

  it('stops timing once the only deadline is cancelled and its timer has passed', () => {
    const { clock, scheduler, fired, at } = setup();
    const cancel = scheduler.schedule(100, at('a'));
    cancel();
    clock.advance(100);
    expect(clock.pending).toBe(0);
    scheduler.schedule(30, at('b'));
    expect(clock.pending).toBe(1);
    clock.advance(30);
    expect(fired).toEqual(['b@130']);
  });

  it('re-arms its one timer for an earlier deadline scheduled after a later one', () => {
    const { clock, scheduler, fired, at } = setup();
    scheduler.schedule(500, at('late'));
    scheduler.schedule(100, at('early'));
    expect(clock.pending).toBe(1);
    clock.advance(100);
    expect(fired).toEqual(['early@100']);
    expect(clock.pending).toBe(1);
    clock.advance(399);
    expect(fired).toEqual(['early@100']);
    clock.advance(1);
    expect(fired).toEqual(['early@100', 'late@500']);
  });

  it('fires every deadline due at the same time', () => {
    const { clock, scheduler, fired, at } = setup();
    scheduler.schedule(100, at('a'));
    scheduler.schedule(100, at('b'));
    clock.advance(40);
    scheduler.schedule(60, at('c'));
    clock.advance(59);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect([...fired].sort()).toEqual(['a@100', 'b@100', 'c@100']);
    expect(clock.pending).toBe(0);
  });

  it('re-arms after a fire for the earliest of the deadlines left', () => {
    const { clock, scheduler, fired, at } = setup();
    scheduler.schedule(100, at('a'));
    scheduler.schedule(400, at('c'));
    scheduler.schedule(250, at('b'));
    clock.advance(100);
    expect(fired).toEqual(['a@100']);
    expect(clock.pending).toBe(1);
    clock.advance(149);
    expect(fired).toEqual(['a@100']);
    clock.advance(1);
    expect(fired).toEqual(['a@100', 'b@250']);
    clock.advance(150);
    expect(fired).toEqual(['a@100', 'b@250', 'c@400']);
    expect(clock.pending).toBe(0);
  });

  it('keeps a deadline scheduled from inside a firing callback on the same timer', () => {
    const { clock, scheduler, fired, at } = setup();
    scheduler.schedule(100, () => {
      fired.push(`a@${clock.monotonic()}`);
      scheduler.schedule(50, at('from-a'));
    });
    scheduler.schedule(300, at('b'));
    clock.advance(100);
    expect(clock.pending).toBe(1);
    clock.advance(50);
    expect(fired).toEqual(['a@100', 'from-a@150']);
    clock.advance(150);
    expect(fired).toEqual(['a@100', 'from-a@150', 'b@300']);
  });

  it('does not fire a due deadline that an earlier callback cancelled', () => {
    const { clock, scheduler, fired, at } = setup();
    let cancelB = (): void => undefined;
    scheduler.schedule(100, () => {
      fired.push('a');
      cancelB();
    });
    cancelB = scheduler.schedule(100, at('b'));
    clock.advance(100);
    expect(fired).toEqual(['a']);
  });
});
