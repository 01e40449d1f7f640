import type { CloseSignal } from './close-signal.js';

/**
 * Waits `milliseconds`, or less if the connection closes. Resolves true when the full time
 * elapsed, false when the connection closed (so callers stop answering a client that left).
 */
export function abortableWait(milliseconds: number, signal: CloseSignal): Promise<boolean> {
  if (signal.closed) return Promise.resolve(false);
  if (milliseconds <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      removeListener();
      resolve(true);
    }, milliseconds);
    const removeListener = signal.onClose(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}
