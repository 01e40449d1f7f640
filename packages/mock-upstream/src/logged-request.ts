import type { ScriptStepKind } from './script-step.js';

/**
 * What happened to a request's response:
 * - `pending`: still being answered;
 * - `completed`: the mock finished its response;
 * - `aborted`: the connection closed before the mock finished (see `aborted`);
 * - `reset`: the mock destroyed the connection on purpose (`reset` step or fault);
 * - `stalled`: the mock went silent on purpose (`stall`); `aborted` tells whether the client gave up.
 */
export type RequestOutcome = 'pending' | 'completed' | 'aborted' | 'reset' | 'stalled';

/** One entry of the mock's request log. */
export interface LoggedRequest {
  /** Sequence number, starting at 1, never reused by the same mock. */
  id: number;
  /** HTTP method. */
  method: string;
  /** Path without the query string. */
  path: string;
  /** Requested model id (`model` of the body), before alias or auto-router resolution. */
  model?: string;
  /** Whether the body asked for SSE. */
  stream: boolean;
  /**
   * Request headers, lower-case names; `authorization` is `Bearer [redacted]` and `x-api-key`
   * `[redacted]`, so keys never reach the log.
   */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it was not JSON; undefined without a body. */
  body: unknown;
  /** Epoch milliseconds when the request arrived. */
  receivedAt: number;
  /** Epoch milliseconds when the exchange settled (response finished, connection closed or reset). */
  finishedAt?: number;
  /** HTTP status sent, if headers were sent. */
  status?: number;
  /** What happened to the response. */
  outcome: RequestOutcome;
  /** True when the client closed the connection before the mock finished its response. */
  aborted: boolean;
  /** Model named in the response (`model` field), when one was resolved. */
  servedModel?: string;
  /** Kind of the scripted step or random fault that shaped the response. */
  step?: ScriptStepKind;
}
