// Printable ASCII: what every HTTP stack carries unchanged in a header value.
const PRINTABLE = /^[\x20-\x7e]*$/;

const hex = (byte: number): string => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * A header value made from data a client or an upstream chose (a model name, a route): printable
 * ASCII as it is, anything else percent-encoded as UTF-8 (`%` included then, so the value decodes
 * with `decodeURIComponent`). Why: Node throws on CR, LF, NUL or a character past U+00FF in a header
 * and writes U+0080–U+00FF as Latin-1, so a name copied as it is either broke the answer (a 500
 * with no log line) or came out garbled. A lone surrogate is encoded as U+FFFD.
 * @example safeHeaderValue('résumé') // 'r%C3%A9sum%C3%A9'
 */
export function safeHeaderValue(value: string): string {
  if (PRINTABLE.test(value)) return value;
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    encoded += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : hex(byte);
  }
  return encoded;
}
