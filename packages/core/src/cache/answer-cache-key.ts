import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * Request fields that never change the answer: how it is delivered (`stream`, `stream_options`:
 * one cached answer serves streamed and whole requests alike) and who asked (`user`,
 * `session_id`: the scope, not the body, keeps callers apart). Every other field counts,
 * including ones Switchyard does not know: an unknown field may change the answer, so it must
 * change the key.
 */
const IGNORED_FIELDS: ReadonlySet<string> = new Set(['stream', 'stream_options', 'user', 'session_id']);

/** Bumped when the key's makeup changes, so old entries are never read with a new meaning. */
const KEY_VERSION = 1;

/**
 * The cache key of a request: a SHA-256 (hex) of its canonical JSON (sorted keys, at every depth)
 * without the fields that never change the answer, of the operation (`chat`; `embeddings` and
 * others when they use the cache) and of the scope (`key:<name>` for one gateway key's answers, `global` when shared).
 * The `model` asked (route, alias or id) and any `models` list are part of the body, and so of the
 * key; so are messages, tools, `response_format` and sampling parameters. Nothing in it can be
 * read back: a key name or a prompt never appears in clear in a store.
 * @example answerCacheKey({ operation: 'chat', scope: 'key:team-a', request })
 */
export function answerCacheKey(input: {
  operation: string;
  /** Whose answers these are: `key:<name>` (one key's), or `global` (shared by every key). */
  scope: string;
  request: object;
}): string {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input.request)) {
    if (!IGNORED_FIELDS.has(name)) fields[name] = value;
  }
  return createHash('sha256')
    .update(`${KEY_VERSION}\n${input.operation}\n${input.scope}\n`)
    .update(canonicalJson(fields))
    .digest('hex');
}
