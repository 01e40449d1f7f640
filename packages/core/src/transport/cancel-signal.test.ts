import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Cancellation } from './cancel-signal.js';

describe('Cancellation', () => {
  it('starts not aborted, with no reason', () => {
    const cancellation = new Cancellation();
    expect(cancellation.aborted).toBe(false);
    expect(cancellation.reason).toBeUndefined();
  });

  it('aborts once: the first reason stays and listeners are called once with it', () => {
    const cancellation = new Cancellation();
    const heard: unknown[] = [];
    cancellation.onAbort((reason) => heard.push(['first', reason]));
    cancellation.onAbort((reason) => heard.push(['second', reason]));
    const reason = new Error('caller left');
    cancellation.abort(reason);
    cancellation.abort(new Error('too late'));
    expect(cancellation.aborted).toBe(true);
    expect(cancellation.reason).toBe(reason);
    expect(heard).toEqual([
      ['first', reason],
      ['second', reason],
    ]);
  });

  it('keeps an undefined reason apart from not being aborted', () => {
    const cancellation = new Cancellation();
    let calls = 0;
    cancellation.onAbort(() => {
      calls += 1;
    });
    cancellation.abort(undefined);
    cancellation.abort('again');
    expect(cancellation.aborted).toBe(true);
    expect(cancellation.reason).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('calls a listener added after the abort at once, with the reason', () => {
    const cancellation = new Cancellation();
    cancellation.abort('deadline');
    const heard: unknown[] = [];
    const detach = cancellation.onAbort((reason) => heard.push(reason));
    expect(heard).toEqual(['deadline']);
    detach();
    cancellation.abort('other');
    expect(heard).toEqual(['deadline']);
  });

  it('does not call a detached listener, and leaves the others', () => {
    const cancellation = new Cancellation();
    const heard: string[] = [];
    const detachFirst = cancellation.onAbort(() => heard.push('first'));
    cancellation.onAbort(() => heard.push('second'));
    detachFirst();
    detachFirst();
    cancellation.abort('x');
    expect(heard).toEqual(['second']);
  });

  it('removes only one registration when the same listener was added twice', () => {
    const cancellation = new Cancellation();
    let calls = 0;
    const listener = (): void => {
      calls += 1;
    };
    const detach = cancellation.onAbort(listener);
    cancellation.onAbort(listener);
    detach();
    cancellation.abort('x');
    expect(calls).toBe(1);
  });

  it('calls every listener even when one detaches another during the abort', () => {
    const cancellation = new Cancellation();
    const heard: string[] = [];
    let detachSecond = (): void => undefined;
    cancellation.onAbort(() => {
      heard.push('first');
      detachSecond();
    });
    detachSecond = cancellation.onAbort(() => heard.push('second'));
    cancellation.abort('x');
    expect(heard).toEqual(['first', 'second']);
  });

  it('a detach after the abort does nothing', () => {
    const cancellation = new Cancellation();
    const heard: unknown[] = [];
    const detach = cancellation.onAbort((reason) => heard.push(reason));
    cancellation.abort('x');
    expect(() => detach()).not.toThrow();
    expect(heard).toEqual(['x']);
  });
});

describe('Cancellation.child', () => {
  it('aborts the child with the parent reason, not the parent with the child', () => {
    const parent = new Cancellation();
    const first = parent.child();
    const second = parent.child();
    first.cancellation.abort('child only');
    expect(parent.aborted).toBe(false);
    expect(second.cancellation.aborted).toBe(false);
    const reason = new Error('caller left');
    parent.abort(reason);
    expect(second.cancellation.aborted).toBe(true);
    expect(second.cancellation.reason).toBe(reason);
    // The child already aborted keeps its own reason.
    expect(first.cancellation.reason).toBe('child only');
  });

  it('stops following the parent once detached', () => {
    const parent = new Cancellation();
    const { cancellation, detach } = parent.child();
    detach();
    parent.abort('x');
    expect(cancellation.aborted).toBe(false);
  });

  it('starts aborted, with the reason, under an aborted parent', () => {
    const parent = new Cancellation();
    parent.abort('deadline');
    const { cancellation, detach } = parent.child();
    expect(cancellation.aborted).toBe(true);
    expect(cancellation.reason).toBe('deadline');
    expect(() => detach()).not.toThrow();
  });

  it('passes an abort down through grandchildren', () => {
    const root = new Cancellation();
    const { cancellation: child } = root.child();
    const { cancellation: grandchild } = child.child();
    const heard: unknown[] = [];
    grandchild.onAbort((reason) => heard.push(reason));
    root.abort('x');
    expect(grandchild.reason).toBe('x');
    expect(heard).toEqual(['x']);
  });
});

describe('Cancellation.fromAbortSignal', () => {
  it('aborts with the given reason, not the signal reason, when the signal aborts', () => {
    const controller = new AbortController();
    const { cancellation } = Cancellation.fromAbortSignal(controller.signal, 'caller');
    expect(cancellation.aborted).toBe(false);
    const heard: unknown[] = [];
    cancellation.onAbort((reason) => heard.push(reason));
    controller.abort(new Error('signal reason'));
    expect(cancellation.aborted).toBe(true);
    expect(cancellation.reason).toBe('caller');
    expect(heard).toEqual(['caller']);
  });

  it('starts aborted for an already-aborted signal, adding no listener', () => {
    const controller = new AbortController();
    controller.abort();
    const { cancellation, detach } = Cancellation.fromAbortSignal(controller.signal, 'caller');
    expect(cancellation.aborted).toBe(true);
    expect(cancellation.reason).toBe('caller');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(() => detach()).not.toThrow();
  });

  it('removes its listener from the signal on detach, and then ignores the signal', () => {
    const controller = new AbortController();
    const { cancellation, detach } = Cancellation.fromAbortSignal(controller.signal, 'caller');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    detach();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort();
    expect(cancellation.aborted).toBe(false);
  });

  it('leaves no listener on the signal after it aborted', () => {
    const controller = new AbortController();
    Cancellation.fromAbortSignal(controller.signal, 'caller');
    controller.abort();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('follows one signal from several cancellations, each detached on its own', () => {
    const controller = new AbortController();
    const kept = Cancellation.fromAbortSignal(controller.signal, 'kept');
    const dropped = Cancellation.fromAbortSignal(controller.signal, 'dropped');
    dropped.detach();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect(kept.cancellation.reason).toBe('kept');
    expect(dropped.cancellation.aborted).toBe(false);
  });
});
