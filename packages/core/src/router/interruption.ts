/**
 * Why the router itself aborted an upstream call: the caller aborted, the total deadline passed,
 * the attempt lost a hedge race, its own timeout passed, its stream stalled, or the consumer of a
 * stream stopped reading.
 */
export type InterruptionKind =
  | 'caller'
  | 'deadline'
  | 'hedge_loser'
  | 'attempt_timeout'
  | 'stall'
  | 'consumer';

const MARKER = Symbol.for('switchyard.interruption');

const MESSAGES: Readonly<Record<InterruptionKind, string>> = {
  caller: 'aborted: caller',
  deadline: 'aborted: deadline',
  hedge_loser: 'aborted: lost the hedge race',
  attempt_timeout: 'aborted: attempt_timeout',
  stall: 'aborted: stall',
  consumer: 'aborted: the consumer stopped reading',
};

/** The abort reason the router puts on the signals it controls. */
export class Interruption extends Error {
  readonly kind: InterruptionKind;

  /** `cause`: for `caller`, the reason the caller's signal gave (e.g. the client closed). */
  constructor(kind: InterruptionKind, cause?: unknown) {
    super(MESSAGES[kind], cause === undefined ? undefined : { cause });
    this.name = 'Interruption';
    this.kind = kind;
    Object.defineProperty(this, MARKER, { value: true });
  }

  static isInstance(value: unknown): value is Interruption {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
