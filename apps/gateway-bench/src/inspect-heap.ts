/**
 * Reads a server's heap after a full garbage collection, through the V8 inspector it was started
 * with (`--inspect=127.0.0.1:<port>`). RSS alone misleads in a soak: V8 lets old garbage pile up
 * until a major collection, so RSS climbs for tens of thousands of requests and then drops; the
 * heap used right after a forced full collection is what the process really keeps.
 */
import { WebSocket } from 'undici';

/** A connection to a process's inspector. */
export interface HeapProbe {
  /** Forces a full collection, then reads the process's `heapUsed` and `rss` in MB. */
  afterFullGc(): Promise<{ heapUsedMb: number; rssMb: number }>;
  close(): void;
}

/** Connects to the inspector on `port` (its first target). */
export async function connectHeapProbe(port: number): Promise<HeapProbe> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const url = targets[0]?.webSocketDebuggerUrl;
  if (url === undefined) throw new Error(`no inspector target on port ${port}`);
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`could not connect to ${url}`)), { once: true });
  });
  let nextId = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve) => {
      nextId += 1;
      waiting.set(nextId, resolve);
      socket.send(JSON.stringify({ id: nextId, method, params }));
    });
  return {
    async afterFullGc() {
      await call('HeapProfiler.collectGarbage');
      const result = (await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      })) as { result: { value: string } };
      const usage = JSON.parse(result.result.value) as { heapUsed: number; rss: number };
      return { heapUsedMb: usage.heapUsed / 1_048_576, rssMb: usage.rss / 1_048_576 };
    },
    close: () => socket.close(),
  };
}
