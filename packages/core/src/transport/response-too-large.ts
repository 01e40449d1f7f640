const MARKER = Symbol.for('switchyard.response-too-large');

/** Which upstream limit an answer went past (the `upstreamLimits` field that sets it). */
export type UpstreamLimit = 'maxAnswerBytes' | 'maxStreamBytes' | 'maxStreamMs' | 'maxSseLineBytes';

const WHAT: Readonly<Record<UpstreamLimit, (limit: number) => string>> = {
  maxAnswerBytes: (limit) => `an answer larger than ${limit} bytes`,
  maxStreamBytes: (limit) => `a stream larger than ${limit} bytes`,
  maxStreamMs: (limit) => `a stream still going after ${limit} ms`,
  maxSseLineBytes: (limit) => `an SSE line longer than ${limit} bytes`,
};

/**
 * An upstream's answer went past one of the router's upstream limits. Thrown (or used as the abort
 * reason) by the transport and the stream reader; the attempt turns it into an
 * `upstream_too_large` failure that names the target.
 */
export class ResponseTooLarge extends Error {
  /** The limit that was passed. */
  readonly limit: UpstreamLimit;
  /** Its value: bytes, or ms for `maxStreamMs`. */
  readonly max: number;

  constructor(options: { limit: UpstreamLimit; max: number }) {
    super(`sent ${WHAT[options.limit](options.max)} (upstreamLimits.${options.limit})`);
    this.name = 'ResponseTooLarge';
    this.limit = options.limit;
    this.max = options.max;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for a ResponseTooLarge, even one from another copy of the package. */
  static isInstance(value: unknown): value is ResponseTooLarge {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
