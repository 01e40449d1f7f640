import { AttemptError } from '../errors/attempt-error.js';
import type { OutcomeCode } from '../errors/outcome-codes.js';
import { redactSecrets } from '../errors/redact-secrets.js';
import { type HeaderBag, retryAfterMs } from '../retry/retry-after.js';

const CONTEXT_LENGTH =
  /context length|context window|context_length|maximum context|too many tokens|reduce the length|prompt is too long/i;
const INVALID_MODEL = /not a valid model|model not found|no such model|does not exist/i;

/** Where a failure came from, for messages that say which target failed. */
export interface FailureSource {
  /** `provider/model` or the alias, shown in messages. */
  label: string;
  /** Secrets to scrub from upstream text. */
  secrets: readonly string[];
  /** Epoch ms now, for `X-RateLimit-Reset`. */
  now: number;
}

/** An upstream error object as OpenRouter and OpenAI send it. */
interface WireError {
  code?: unknown;
  message?: unknown;
  metadata?: unknown;
  type?: unknown;
}

/** The outcome code of an HTTP error status, refined by the upstream's message. */
export function codeForStatus(status: number, message: string): OutcomeCode {
  switch (status) {
    case 400:
    case 422:
      if (CONTEXT_LENGTH.test(message)) return 'context_length';
      return INVALID_MODEL.test(message) ? 'not_supported' : 'invalid_request';
    case 401:
      return 'auth';
    case 402:
      return 'payment_required';
    case 403:
      return 'moderation';
    case 404:
      return 'not_supported';
    case 408:
    case 504:
      return 'timeout';
    case 413:
      return 'context_length';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'upstream_unavailable' : 'invalid_request';
  }
}

function codeForString(code: string, message: string): OutcomeCode {
  const text = `${code} ${message}`;
  if (/rate.?limit|too many requests/i.test(text)) return 'rate_limited';
  if (/timeout|timed out/i.test(text)) return 'timeout';
  if (CONTEXT_LENGTH.test(text)) return 'context_length';
  if (/moderation|content.?filter|flagged/i.test(text)) return 'moderation';
  return 'upstream_unavailable';
}

function scrubMetadata(metadata: unknown, secrets: readonly string[]): Record<string, unknown> | undefined {
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  let text: string;
  try {
    text = JSON.stringify(metadata);
  } catch {
    // Nested past the stack (a hostile upstream): dropped, not a reason to misread the failure.
    return undefined;
  }
  return JSON.parse(redactSecrets(text, secrets)) as Record<string, unknown>;
}

/**
 * Classifies an upstream error object (from an HTTP error body, an HTTP-200 error body, or a
 * mid-stream error chunk) into an {@link AttemptError}.
 */
export function classifyWireError(options: {
  error: WireError | undefined;
  status: number;
  headers: HeaderBag;
  source: FailureSource;
  /** What happened, when the status alone would mislead (e.g. "HTTP 200 with an error body"). */
  context?: string;
}): AttemptError {
  const { error, status, headers, source } = options;
  const upstreamMessage = typeof error?.message === 'string' ? error.message : '';
  const wireCode = error?.code;
  let code: OutcomeCode;
  if (typeof wireCode === 'number' && wireCode >= 400) code = codeForStatus(wireCode, upstreamMessage);
  else if (typeof wireCode === 'string' && wireCode !== '' && Number.isNaN(Number(wireCode)))
    code = codeForString(wireCode, upstreamMessage);
  else if (typeof wireCode === 'string' && Number(wireCode) >= 400)
    code = codeForStatus(Number(wireCode), upstreamMessage);
  else code = status >= 400 ? codeForStatus(status, upstreamMessage) : 'upstream_unavailable';
  const metadata = scrubMetadata(error?.metadata, source.secrets);
  const wait = retryAfterMs({ headers, metadata, now: source.now });
  const statusText = options.context ?? `HTTP ${status}`;
  const detail =
    upstreamMessage === '' ? '' : `: ${redactSecrets(upstreamMessage, source.secrets).slice(0, 500)}`;
  return new AttemptError({
    code,
    message: `${source.label} failed with ${statusText}${detail}`,
    upstreamStatus: status,
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
    ...(metadata === undefined ? {} : { metadata }),
  });
}

/** Classifies a non-2xx HTTP answer from its status, headers and body text. */
export function classifyHttpFailure(options: {
  status: number;
  headers: HeaderBag;
  bodyText: string;
  source: FailureSource;
}): AttemptError {
  let error: WireError | undefined;
  try {
    const parsed = JSON.parse(options.bodyText) as { error?: WireError | string };
    error = typeof parsed.error === 'string' ? { message: parsed.error } : parsed.error;
  } catch {
    // Redacted before it is cut, so that no cut leaves the start of a key behind.
    error = { message: redactSecrets(options.bodyText.slice(0, 4096), options.source.secrets).slice(0, 200) };
  }
  return classifyWireError({
    error,
    status: options.status,
    headers: options.headers,
    source: options.source,
  });
}

/** Classifies an error thrown while sending or reading (socket reset, refused connection, ...). */
export function classifyThrown(error: unknown, source: FailureSource): AttemptError {
  const cause = error as { code?: unknown; message?: unknown; name?: unknown };
  const errorCode = typeof cause?.code === 'string' ? cause.code : '';
  const text = redactSecrets(
    typeof cause?.message === 'string' ? cause.message : String(error),
    source.secrets,
  );
  const isTimeout = /TIMEOUT/.test(errorCode) || cause?.name === 'TimeoutError';
  return new AttemptError({
    code: isTimeout ? 'timeout' : 'network',
    message: `${source.label} failed: ${isTimeout ? 'timed out' : 'network error'} (${errorCode || String(cause?.name ?? 'Error')}: ${text})`,
    cause: error,
  });
}
