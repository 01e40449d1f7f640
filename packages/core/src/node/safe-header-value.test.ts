import { describe, expect, it } from 'vitest';
import { safeHeaderValue } from './safe-header-value.js';

describe('safeHeaderValue', () => {
  it('keeps printable ASCII as it is, % included', () => {
    expect(safeHeaderValue('openai/gpt-4o-mini:free')).toBe('openai/gpt-4o-mini:free');
    expect(safeHeaderValue('premium:budget, small:context_window')).toBe(
      'premium:budget, small:context_window',
    );
    expect(safeHeaderValue('100%')).toBe('100%');
    expect(safeHeaderValue('')).toBe('');
  });

  it('percent-encodes anything else as UTF-8, so that it decodes back', () => {
    for (const name of ['mödel', 'модель', 'model 🙂', 'a%b é', 'ÿ']) {
      const value = safeHeaderValue(name);
      expect(value).toMatch(/^[\x20-\x7e]*$/);
      expect(decodeURIComponent(value)).toBe(name);
    }
  });

  it('encodes control characters and a lone surrogate, which Node refuses in a header', () => {
    expect(safeHeaderValue('a\r\nSet-Cookie: x')).toBe('a%0D%0ASet-Cookie: x');
    expect(safeHeaderValue('nul\u0000')).toBe('nul%00');
    expect(safeHeaderValue('\ud800')).toBe('%EF%BF%BD');
  });
});
