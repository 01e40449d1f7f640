import type { LoggedRequest } from './logged-request.js';
import type { MockChatRequest } from './mock-chat-request.js';
import type { ModelQuirks } from './model-quirks.js';
import type { ScriptStep } from './script-step.js';

/** Options of the `waitFor*` methods. */
export interface WaitOptions {
  /**
   * Rejects after this many milliseconds.
   * @default 5_000
   */
  timeoutMs?: number;
}

/** A running mock OpenRouter upstream. */
export interface MockUpstream {
  /** Base URL for OpenAI-compatible clients: `http://127.0.0.1:PORT/api/v1`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** Port the server listens on. */
  readonly port: number;
  /**
   * Queues behaviours for requests to `model` (the id as requested). Each request consumes one
   * step (`times: n` is consumed n times); with an empty queue the model behaves normally.
   * Calling again appends. Scripted steps bypass validation (unknown ids, context length, tools).
   * @example mock.script('openai/gpt-4o-mini', [{ kind: 'error', status: 502 }, { kind: 'success' }]);
   */
  script(model: string, steps: readonly ScriptStep[]): void;
  /**
   * Sets the reply content of every later request to `model` (until `reset()`). It wins over tool
   * calls and response formats; a function that returns undefined leaves that request to them (and
   * to the default reply).
   * @example mock.setReply('openai/gpt-4o-mini', (request) => (request.tools ? undefined : 'Hi!'));
   */
  setReply(model: string, reply: string | ((request: MockChatRequest) => string | undefined)): void;
  /**
   * Gives `model` (the id as requested) lasting quirks until `reset()`: tool calls it ignores or
   * garbles, JSON schemas it ignores. Replaces the model's earlier quirks.
   * @example mock.setQuirks('openai/gpt-4o-mini', { tools: 'ignore', jsonSchema: 'ignore' });
   */
  setQuirks(model: string, quirks: ModelQuirks): void;
  /** The request log, oldest first. */
  readonly requests: readonly LoggedRequest[];
  /** Resolves with the log once it holds at least `count` entries. */
  waitForRequests(count: number, options?: WaitOptions): Promise<readonly LoggedRequest[]>;
  /**
   * Resolves when no request is in flight: every response completed, was aborted by its client
   * or reset. A stalled request settles when its connection closes.
   */
  waitForSettled(options?: WaitOptions): Promise<void>;
  /** Clears scripts, replies set by `setReply`, quirks, and the request log. */
  reset(): void;
  /** Stops listening and destroys every open connection, stalled ones included. */
  close(): Promise<void>;
}
