import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Paths pino replaces with `[redacted]`. The gateway logs no header and no key to begin with; this
 * catches one passed by mistake.
 */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  'apiKey',
  '*.apiKey',
  'key.key',
];

/**
 * The gateway's structured logger: JSON lines from pino, secrets redacted.
 * @param options.destination where lines go; stdout by default (tests pass a collector)
 */
export function createLogger(options: { destination?: DestinationStream; level?: string } = {}): Logger {
  const settings = {
    name: 'switchyard',
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
