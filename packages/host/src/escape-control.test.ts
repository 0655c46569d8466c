import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControl, escapeJsonControl, hasControl } from './escape-control.js';

// Every character a terminal or a bidi-aware renderer obeys rather than shows.
const DANGEROUS = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  '\u061c',
  '\u200e',
  '\u200f',
  '\u2028',
  '\u2029',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];

describe('escapeControl', () => {
  it('shows ANSI sequences, carriage returns and backspaces instead of obeying them', () => {
    expect(escapeControl('ok\x1b[2K\rFAIL')).toBe('ok\\x1b[2K\\rFAIL');
    expect(escapeControl('\x1b]52;c;ZXZpbA==\x07')).toBe('\\x1b]52;c;ZXZpbA==\\x07');
    expect(escapeControl('safe\b\b\b\bevil')).toBe('safe\\x08\\x08\\x08\\x08evil');
    expect(escapeControl('a\nb\tc')).toBe('a\\nb\\tc');
  });

  it('escapes C1 controls (CSI U+009B is ESC [ to many terminals) and bidi overrides', () => {
    expect(escapeControl('\u009b31mred')).toBe('\\x9b31mred');
    expect(escapeControl('\u0085next')).toBe('\\x85next');
    expect(escapeControl('user\u202eexe.txt')).toBe('user\\u202eexe.txt');
    expect(escapeControl('\u2066x\u2069\u200f')).toBe('\\u2066x\\u2069\\u200f');
  });

  it('leaves ordinary text alone: accents, emoji, backslashes, Windows paths', () => {
    for (const text of ['¡Hola, Mundo!', 'naïve café 😀', 'C:\\plugins\\x', 'a\\x1b literal', '']) {
      expect(escapeControl(text)).toBe(text);
    }
  });

  it('keeps only the characters asked for', () => {
    expect(escapeControl('a\nb\tc\rd\x1b', { keep: '\n\t' })).toBe('a\nb\tc\\rd\\x1b');
  });

  it('never lets a dangerous character through, whatever the input', () => {
    const anyChar = fc.oneof(fc.constantFrom(...DANGEROUS), fc.string({ unit: 'binary', maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(anyChar, { maxLength: 20 }), (parts) => {
        const out = escapeControl(parts.join(''));
        for (const c of DANGEROUS) expect(out.includes(c)).toBe(false);
        expect(hasControl(out)).toBe(false);
      }),
    );
  });

  it('hasControl says whether there is anything to escape', () => {
    expect(hasControl('plain')).toBe(false);
    for (const c of DANGEROUS) expect(hasControl(`a${c}`)).toBe(true);
  });
});

describe('escapeJsonControl', () => {
  it('gives the same value back, with no raw control character in the text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.constantFrom(...DANGEROUS)), (value, extra) => {
        const doc = { value, extra: extra.join('') };
        const text = escapeJsonControl(JSON.stringify(doc));
        expect(hasControl(text)).toBe(false);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(doc)));
      }),
    );
  });
});
