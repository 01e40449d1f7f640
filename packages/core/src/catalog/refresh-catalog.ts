import { request } from 'undici';
import { type Clock, systemClock } from '../clock.js';
import { redactSecrets } from '../errors/redact-secrets.js';
import type { Catalog } from './catalog.js';
import type { CatalogModel } from './catalog-model.js';
import { checkCatalogEntry } from './check-catalog-entry.js';

/** Options of {@link refreshCatalog}. */
export interface RefreshCatalogOptions {
  /**
   * Base URL of an OpenRouter-compatible API, including its prefix; `/models` is appended.
   * @example 'https://openrouter.ai/api/v1'
   */
  baseURL: string;
  /** Sent as `Authorization: Bearer <apiKey>` when given. Never appears in errors. */
  apiKey?: string;
  /** Extra request headers (e.g. `HTTP-Referer`, `X-OpenRouter-Title`). */
  headers?: Record<string, string>;
  /**
   * Time allowed for the whole exchange, body included, in milliseconds.
   * @default 10000
   */
  timeoutMs?: number;
  /** Aborts the request early. */
  signal?: AbortSignal;
  /**
   * Clock that dates the snapshot (`snapshotDate` is its current UTC day).
   * @default systemClock
   */
  clock?: Pick<Clock, 'now'>;
}

/** An entry of the `/models` answer that {@link refreshCatalog} left out, and why. */
export interface SkippedCatalogEntry {
  /** Its id, when it had a string one. */
  readonly id?: string;
  /** What was wrong with it. */
  readonly reason: string;
}

/** A freshly fetched catalog, with the entries that failed validation. */
export interface RefreshedCatalog extends Catalog {
  /** Entries left out (for instance `openrouter/auto`, priced `"-1"`); `skipped.length` is the count. */
  readonly skipped: readonly SkippedCatalogEntry[];
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** How much of an error body is quoted in the thrown message. */
const MAX_DETAIL_CHARS = 300;

/**
 * Fetches `GET <baseURL>/models` (OpenRouter's `{ data: Model[] }`) and returns it as a
 * {@link Catalog} dated today (UTC), keeping the upstream order. Entries whose id is not a
 * non-empty string or whose fields Switchyard reads are malformed (such as `"-1"` prices of
 * dynamically priced routers) are left out and listed in `skipped`.
 *
 * Throws a plain `Error` naming the URL when the request fails or times out, when the status is
 * not 2xx (the message carries the status and the upstream's error message), or when the body
 * is not `{ data: [...] }`. The API key never appears in those messages.
 *
 * @example
 * const fresh = await refreshCatalog({ baseURL: 'https://openrouter.ai/api/v1' });
 * const catalog = mergeCatalogs(BUNDLED_CATALOG, fresh);
 */
export async function refreshCatalog(options: RefreshCatalogOptions): Promise<RefreshedCatalog> {
  const base = options.baseURL.replace(/\/+$/, '');
  const source = `${base}/models`;
  const secrets = options.apiKey === undefined ? [] : [options.apiKey];
  const fail = (message: string, cause?: unknown): Error =>
    new Error(
      redactSecrets(`Catalog refresh failed: GET ${displayUrl(source)} ${message}`, secrets),
      cause === undefined ? undefined : { cause },
    );

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);

  let status: number;
  let text: string;
  try {
    const response = await request(source, { method: 'GET', headers: buildHeaders(options), signal });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    if (timeout.aborted) throw fail(`timed out after ${timeoutMs} ms`);
    if (options.signal?.aborted) throw fail('was aborted', options.signal.reason);
    throw fail(`could not be completed: ${error instanceof Error ? error.message : String(error)}`, error);
  }

  if (status < 200 || status > 299) {
    const detail = errorDetail(text);
    throw fail(`answered HTTP ${status}${detail === '' ? '' : `: ${detail}`}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw fail('returned a body that is not JSON');
  }
  const data = property(body, 'data');
  if (!Array.isArray(data)) throw fail('returned a body that is not { data: [...] }');

  const models: CatalogModel[] = [];
  const skipped: SkippedCatalogEntry[] = [];
  const seen = new Set<string>();
  for (const entry of data) {
    const check = checkCatalogEntry(entry);
    if (!check.ok) {
      skipped.push({ id: check.id, reason: check.reason });
    } else if (seen.has(check.model.id)) {
      skipped.push({ id: check.model.id, reason: 'duplicate id' });
    } else {
      seen.add(check.model.id);
      models.push(check.model);
    }
  }
  const clock = options.clock ?? systemClock;
  return { source, snapshotDate: new Date(clock.now()).toISOString().slice(0, 10), models, skipped };
}

function buildHeaders(options: RefreshCatalogOptions): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    // With a key, ours is the only Authorization header sent.
    if (options.apiKey !== undefined && name.toLowerCase() === 'authorization') continue;
    headers[name] = value;
  }
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  return headers;
}

/** The URL without user info, which may hold credentials. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** OpenRouter's `error.message` from an error body, else the start of the body. */
function errorDetail(text: string): string {
  let detail = text.trim();
  try {
    const message = property(property(JSON.parse(text), 'error'), 'message');
    if (typeof message === 'string') detail = message;
  } catch {
    // Not JSON: quote the text itself.
  }
  return detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS)}…` : detail;
}

/** `value[name]` when `value` is an object, else undefined. */
function property(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
