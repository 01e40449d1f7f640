const KEY_PATTERN = /\b(?:sk|rk|pk)-[A-Za-z0-9_-]{8,}|\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g;
const REDACTED = '[redacted]';
/** The shortest end of a secret that still counts as the secret (`…last 8 characters`). */
const MIN_SUFFIX = 8;

/** The forms of one secret searched for in text, compiled once per list of secrets. */
interface SecretForms {
  readonly secret: string;
  /** The secret's last {@link MIN_SUFFIX} characters: every suffix that long or longer holds it. */
  readonly anchor: string | undefined;
  /** Strings whose presence means the secret is there: the anchor (or the whole secret, when short) and its encodings. */
  readonly needles: readonly string[];
}

const compiled = new WeakMap<readonly string[], readonly SecretForms[]>();

/**
 * The part of the base64 text of `bytes`, preceded by `offset` other bytes, that depends on those
 * bytes alone. Base64 packs 3 bytes in 4 characters, so where a key falls in a larger encoded
 * value (`Basic base64(user:key)`) decides its characters: one core per offset 0, 1, 2 finds it
 * at any position.
 */
function base64Core(bytes: Buffer, offset: number, alphabet: 'base64' | 'base64url'): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(alphabet);
  return encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
}

function formsOf(secret: string): SecretForms {
  if (secret.length < MIN_SUFFIX) return { secret, anchor: undefined, needles: [secret] };
  const anchor = secret.slice(-MIN_SUFFIX);
  const needles = new Set([anchor, encodeURIComponent(secret)]);
  const bytes = Buffer.from(secret, 'utf8');
  for (const alphabet of ['base64', 'base64url'] as const) {
    for (let offset = 0; offset < 3; offset += 1) {
      const core = base64Core(bytes, offset, alphabet);
      if (core.length >= MIN_SUFFIX) needles.add(core);
    }
  }
  return { secret, anchor, needles: [...needles] };
}

function compile(secrets: readonly string[]): readonly SecretForms[] {
  let forms = compiled.get(secrets);
  if (forms === undefined) {
    forms = secrets.filter((secret) => secret.length >= 4).map(formsOf);
    compiled.set(secrets, forms);
  }
  return forms;
}

/** Characters of a key, base64, base64url or percent-encoded text: a match is widened over them. */
function isTokenChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 43 || // +
    code === 47 || // /
    code === 61 || // =
    code === 95 || // _
    code === 45 || // -
    code === 37 // %
  );
}

/** Where a needle found at `at` spans: back along the secret for its anchor, then over the whole token. */
function matchRange(
  text: string,
  found: { form: SecretForms; needle: string; at: number },
): [number, number] {
  const { form, needle, at } = found;
  let start = at;
  let end = at + needle.length;
  if (needle === form.anchor) {
    for (let index = form.secret.length - needle.length; index > 0 && start > 0; index -= 1) {
      if (text.charCodeAt(start - 1) !== form.secret.charCodeAt(index - 1)) break;
      start -= 1;
    }
  }
  while (start > 0 && isTokenChar(text.charCodeAt(start - 1))) start -= 1;
  while (end < text.length && isTokenChar(text.charCodeAt(end))) end += 1;
  return [start, end];
}

/**
 * Removes the known secrets from upstream text (answers, error bodies) in the forms an upstream
 * may echo them: as they are, any end of 8 characters or more (`…a1b2c3d4e5f6`), percent-encoded,
 * and base64 or base64url encoded at any position of a larger value. Each match is widened to the
 * whole token around it, replaced by `[redacted]`. Plain substring searches, no regex: cheap
 * enough for every answer. Secrets under 4 characters are ignored.
 */
export function redactKnownSecrets(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  const ranges: Array<[number, number]> = [];
  for (const form of compile(secrets)) {
    for (const needle of form.needles) {
      for (let at = text.indexOf(needle); at !== -1; ) {
        const range = matchRange(text, { form, needle, at });
        ranges.push(range);
        at = text.indexOf(needle, range[1]);
      }
    }
  }
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let result = '';
  let position = 0;
  for (const [start, end] of ranges) {
    if (end <= position) continue;
    // A range that overlaps the last one only extends it.
    if (start >= position) result += `${text.slice(position, start)}${REDACTED}`;
    position = end;
  }
  return result + text.slice(position);
}

/**
 * Removes secrets from text that may reach a client or a log: each known secret (the configured
 * API keys) in every form {@link redactKnownSecrets} finds, and anything shaped like a bearer
 * token or an `sk-` key.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  return redactKnownSecrets(text, secrets).replace(KEY_PATTERN, REDACTED);
}
