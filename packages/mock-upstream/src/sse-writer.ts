import { abortableWait } from './abortable-wait.js';
import type { Exchange } from './exchange.js';

/** The comment line OpenRouter sends while a generation is being prepared. */
export const KEEP_ALIVE_COMMENT = ': OPENROUTER PROCESSING\n\n';

/** What to send: data payloads in order, then how the stream ends. */
export interface SsePlan {
  /** Payloads of `data:` events (JSON text, or `[DONE]`). */
  events: string[];
  /** `end`: close the response; `reset`: destroy the connection; `stall`: keep it open, silent. */
  ending: 'end' | 'reset' | 'stall';
}

/** Pacing of a stream. */
export interface SsePacing {
  /** Keep-alive comments before the first `data:` line. */
  keepAliveBefore: number;
  /** Whether a keep-alive comment precedes every later `data:` line. */
  keepAliveBetween: boolean;
  /** Delay between `data:` events. */
  chunkDelayMs: number;
}

/** Options of {@link writeSse}. */
export interface SseWriteInput {
  /** Events and ending. */
  plan: SsePlan;
  /** Keep-alives and delays. */
  pacing: SsePacing;
}

/**
 * Writes an SSE response: headers, leading keep-alive comments, each `data:` event followed by a
 * blank line. Without delays the whole body goes out in one write; with delays each event is
 * written on its own, each write awaited (backpressure). Stops as soon as the client disconnects.
 */
export async function writeSse(exchange: Exchange, input: SseWriteInput): Promise<void> {
  const { plan, pacing } = input;
  const { response, signal } = exchange;
  exchange.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  let buffer = KEEP_ALIVE_COMMENT.repeat(pacing.keepAliveBefore);
  for (const [index, event] of plan.events.entries()) {
    if (index > 0) {
      if (pacing.keepAliveBetween) buffer += KEEP_ALIVE_COMMENT;
      if (pacing.chunkDelayMs > 0) {
        if (!(await flush(exchange, buffer))) return;
        buffer = '';
        if (!(await abortableWait(pacing.chunkDelayMs, signal))) return;
      }
    }
    buffer += `data: ${event}\n\n`;
  }
  if (plan.ending === 'end') {
    response.end(buffer);
    return;
  }
  if (buffer === '') response.flushHeaders();
  else if (!(await flush(exchange, buffer))) return;
  if (plan.ending === 'stall') {
    exchange.stall();
    return;
  }
  exchange.reset();
}

/**
 * Writes text and waits until it reached the socket (the write callback), which also honours
 * backpressure; resolves false when the client is gone.
 */
function flush(exchange: Exchange, text: string): Promise<boolean> {
  const { response, signal } = exchange;
  if (signal.closed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const removeListener = signal.onClose(() => resolve(false));
    response.write(text, (error) => {
      removeListener();
      resolve(error === undefined || error === null);
    });
  });
}
