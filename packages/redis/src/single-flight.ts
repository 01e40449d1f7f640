/**
 * One run of `run` at a time: a call while it runs returns that run and asks for one more after
 * it. Replays of buffered writes take the head of their queue, write it and only then remove it;
 * two loops at once would both write the head and then remove it and the next one, which neither
 * wrote (a reconnect and an outage's end can ask for a replay moments apart).
 */
export function singleFlight(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  const start = (): Promise<void> => {
    again = false;
    running = run().finally(() => {
      running = undefined;
      if (again) void start();
    });
    return running;
  };
  return () => {
    if (running === undefined) return start();
    again = true;
    return running;
  };
}
