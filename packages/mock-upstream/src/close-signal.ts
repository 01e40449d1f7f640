/**
 * Whether a connection closed, with one-shot listeners. A lighter stand-in for AbortSignal:
 * an AbortController per request (EventTarget, Event objects) shows up in benchmark profiles.
 */
export interface CloseSignal {
  /** True once the connection closed. */
  readonly closed: boolean;
  /** Calls `listener` once when the connection closes; returns a function that removes it. */
  onClose(listener: () => void): () => void;
}

/** A close signal and the function that fires it. */
export interface CloseSignalController {
  /** The signal handed to waits and writers. */
  signal: CloseSignal;
  /** Marks the connection closed and calls the listeners (once). */
  close(): void;
}

/** Creates an open {@link CloseSignal}. */
export function createCloseSignal(): CloseSignalController {
  let closed = false;
  let listeners: Array<() => void> = [];
  return {
    signal: {
      get closed() {
        return closed;
      },
      onClose(listener) {
        if (closed) {
          listener();
          return () => {};
        }
        listeners.push(listener);
        return () => {
          listeners = listeners.filter((candidate) => candidate !== listener);
        };
      },
    },
    close() {
      if (closed) return;
      closed = true;
      const toCall = listeners;
      listeners = [];
      for (const listener of toCall) listener();
    },
  };
}
