import type { UsageReport } from '../trace/routing-trace.js';
import type { ChatChunk } from '../types/chat.js';

/** One server-sent event of a door's own stream: its `event:` name and its `data:` JSON. */
export interface DialectEvent {
  event: string;
  data: unknown;
}

/** What a stream's last events are made of, once the internal chunk stream is over. */
export interface StreamEnd {
  /** The served attempt's usage, when reported (or estimated by the router). */
  usage: UsageReport | undefined;
  /** The request's whole cost in USD, failed attempts included, exact decimal. */
  costUsd: string;
}

/**
 * Turns the internal chat chunk stream into a door's own events, one chunk at a time: a dialect
 * (Responses, Anthropic Messages) is one implementation, written by `writeDialectStream`.
 */
export interface StreamTranslator {
  /** The events that open the stream, before any chunk. */
  start(): DialectEvent[];
  /** The events of one chunk (none for a chunk that says nothing the dialect shows). */
  chunk(chunk: ChatChunk): DialectEvent[];
  /** The events that close a stream that completed. */
  end(input: StreamEnd): DialectEvent[];
  /** The events that close a stream that failed after it began: never a silent success. */
  fail(error: unknown): DialectEvent[];
}
