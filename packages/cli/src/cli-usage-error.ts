const MARKER = Symbol.for('switchyard.cli-usage-error');

/**
 * A command-line mistake: an unknown flag, a missing or malformed value. The CLI prints it as one
 * line (`switchyard cost fee: --spend must be ...`) and exits with code 2.
 *
 * @example throw new CliUsageError('--fee must be a percent, got "x"');
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';

  constructor(message: string) {
    super(message);
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for any CLI usage error, even one from another copy of the package. */
  static isInstance(value: unknown): value is CliUsageError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
