import type { HeaderBag } from '../retry/retry-after.js';
import type { Operation } from '../routing/operation.js';
import type { CancelSignal } from './cancel-signal.js';

/** A provider as the transport sees it. */
export interface TransportEndpoint {
  /** Provider name from config (for pools and messages). */
  name: string;
  /** Base URL including the API prefix, e.g. `https://openrouter.ai/api/v1`. */
  baseURL: string;
  /** Headers sent with every request, authorization included. */
  headers: Record<string, string>;
  /** Maximum open connections. */
  connections: number;
}

/** One upstream call: a chat completion or an embeddings request. */
export interface TransportRequest {
  endpoint: TransportEndpoint;
  /**
   * Which endpoint below the base URL: `chat` is `POST /chat/completions`, `embeddings` is
   * `POST /embeddings`.
   */
  operation: Operation;
  /** The JSON body, already serialized. */
  body: string;
  /** Whether the answer is an SSE stream (chat only). */
  stream: boolean;
  /**
   * Headers for this call only, sent beside the endpoint's: the W3C trace context (`traceparent`,
   * `tracestate`) when the call is traced.
   */
  headers?: Readonly<Record<string, string>>;
  /** Aborts the call, including a body being read; the transport rejects with the signal's reason. */
  signal: CancelSignal;
}

/** The upstream's answer: status and headers first, the body read on demand. */
export interface TransportResponse {
  status: number;
  /** Lower-cased header names. */
  headers: HeaderBag;
  /**
   * Reads the whole body as text. Past `limitBytes` it stops reading, releases the connection and
   * rejects with a `ResponseTooLarge` (`maxAnswerBytes`), so an endless or huge answer is never
   * held in memory whole.
   */
  text(options?: { limitBytes?: number }): Promise<string>;
  /** The body as byte chunks, as they arrive (read it once). */
  chunks(): AsyncIterable<Uint8Array>;
}

/**
 * Port: sends a chat-completions or embeddings request to a provider. The default is {@link createUndiciTransport}.
 * Implementations reject with the signal's reason on abort, and with a network error otherwise.
 */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}
