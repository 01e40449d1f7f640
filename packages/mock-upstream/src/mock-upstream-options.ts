import type { LatencyProfile } from './latency-profile.js';
import type { MockChatRequest } from './mock-chat-request.js';
import type { MockModel } from './mock-model.js';
import type { ModelQuirks } from './model-quirks.js';
import type { RandomFaults } from './random-faults.js';

/** Options of `startMockUpstream`. */
export interface MockUpstreamOptions {
  /**
   * TCP port; 0 picks a free one.
   * @default 0
   */
  port?: number;
  /**
   * Interface to listen on.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Seeds random faults, latency and the `openrouter/auto` choice (each from its own stream).
   * @default 1
   */
  seed?: number;
  /**
   * The catalog served by `GET /models` and used for validation, context limits and prices.
   * @default DEFAULT_MOCK_MODELS
   */
  models?: readonly MockModel[];
  /**
   * Requested id → served id (named in the response's `model`). Every target must be in `models`.
   * @default DEFAULT_MOCK_ALIASES (only those whose target is in `models`, when `models` is given)
   * @example { 'openai/gpt-4o': 'openai/gpt-4o-2024-11-20' }
   */
  aliases?: Readonly<Record<string, string>>;
  /**
   * When set, only these keys pass (a bearer token, or an `x-api-key` header when no
   * `Authorization` is sent); others get 401 `User not found.`. A request with neither header
   * always gets 401 `No auth credentials found`.
   */
  apiKeys?: readonly string[];
  /**
   * Seeded random faults for requests without a scripted step.
   * @example { rates: { 429: 0.1, 502: 0.05, reset: 0.01, 'error-200': 0.01 } }
   */
  faults?: RandomFaults;
  /**
   * Delay before the first byte of every chat response.
   * @default no delay
   */
  latency?: LatencyProfile;
  /**
   * Delay between stream chunks, in milliseconds.
   * @default 0
   */
  chunkDelayMs?: number;
  /** `: OPENROUTER PROCESSING` comment lines in streams. */
  keepAlive?: {
    /**
     * Comment lines before the first `data:` line.
     * @default 1
     */
    before?: number;
    /**
     * Whether a comment line precedes every later `data:` line.
     * @default false
     */
    between?: boolean;
  };
  /**
   * Shape of the final usage chunk: `2026` has `choices: []`, `2025` one choice with an empty
   * delta and `finish_reason: null`.
   * @default '2026'
   */
  usageChunkStyle?: '2026' | '2025';
  /**
   * Replaces the default reply text (`Mock reply from <model>: you said "…".`); undefined keeps it
   * for that request. Scripted content, `setReply`, tool calls and JSON response formats take
   * precedence.
   */
  reply?: (request: MockChatRequest) => string | undefined;
  /**
   * Quirks by requested model id, as `setQuirks` sets them (`reset()` clears these too).
   * @example { 'openai/gpt-4o-mini': { tools: 'ignore' } }
   */
  quirks?: Readonly<Record<string, ModelQuirks>>;
  /** Request log settings. */
  log?: {
    /**
     * Entries kept (oldest dropped first).
     * @default 10_000
     */
    maxEntries?: number;
  };
}
