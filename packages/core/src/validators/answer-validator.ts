import type { ChatRequest, ChatResponse } from '../types/chat.js';

/** What a validator sees of a successful answer. */
export interface ValidationInput {
  /** The whole answer. */
  response: ChatResponse;
  /** The first choice's text content ('' when none). */
  text: string;
  /** The request as the caller sent it. */
  request: ChatRequest;
  /** The model id that was sent upstream. */
  sentModel: string;
}

/**
 * A validator's verdict. A validator that parses the answer (JSON, a schema) passes the parsed
 * value along as `value`; the router returns it with the result, so callers need not parse again.
 */
export type ValidationVerdict = { ok: true; value?: unknown } | { ok: false; reason: string };

/**
 * Checks a successful answer. A rejection becomes a `bad_output` outcome: the router falls
 * through to the next target (or escalates a cascade).
 */
export interface AnswerValidator {
  /** Shown in traces and errors, e.g. `json`. */
  readonly name: string;
  validate(input: ValidationInput): ValidationVerdict | Promise<ValidationVerdict>;
}

/** A verdict that passes. */
export const PASS: ValidationVerdict = Object.freeze({ ok: true });

/** A verdict that passes with the value the validator parsed from the answer. */
export function passWith(value: unknown): ValidationVerdict {
  return { ok: true, value };
}

/** A verdict that rejects with a reason. */
export function reject(reason: string): ValidationVerdict {
  return { ok: false, reason };
}
