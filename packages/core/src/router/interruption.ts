/** Why the router itself aborted an upstream call. */
export type InterruptionKind = 'caller' | 'deadline' | 'hedge_loser' | 'attempt_timeout' | 'stall';

const MARKER = Symbol.for('switchyard.interruption');

/** The abort reason the router puts on the signals it controls. */
export class Interruption extends Error {
  readonly kind: InterruptionKind;

  constructor(kind: InterruptionKind) {
    super(`aborted: ${kind}`);
    this.name = 'Interruption';
    this.kind = kind;
    Object.defineProperty(this, MARKER, { value: true });
  }

  static isInstance(value: unknown): value is Interruption {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
