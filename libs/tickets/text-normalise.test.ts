import { describe, expect, test } from '@jest/globals';
import { codePointSafeEnd, cutToLength, normaliseInline, normaliseMultiline, normaliseSummaryText } from './text-normalise.js';
import { expectedInline, expectedMultiline } from './fixtures.test-helper.js';

describe('normaliseInline', () => {
  test.each([
    ['plain text stays', 'Zoë *bold* <b>', 'Zoë *bold* <b>'],
    ['right-to-left override becomes visible', 'a\u202Eb', 'a[U+202E]b'],
    ['every bidi embedding, override and isolate', '\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069', '[U+202A][U+202B][U+202C][U+202D][U+2066][U+2067][U+2068][U+2069]'],
    ['a run of line breaks becomes one space', 'a\r\n\nb\u2028c', 'a b c'],
    ['tab stays', 'a\tb', 'a\tb'],
    ['C0, DEL and C1 controls become U+FFFD', 'a\u0000b\u0007c\u007Fd\u009Be', 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe'],
    ['removal never joins a tag', '[co\u0000de]', '[co\uFFFDde]'],
    ['lone surrogates become U+FFFD', 'a\uD83Db\uDE00c', 'a\uFFFDb\uFFFDc'],
    ['surrogate pairs stay', '😀', '😀'],
  ])('%s', (_name, input, expected) => {
    expect(normaliseInline(input)).toBe(expected);
    expect(expectedInline(input)).toBe(expected);
  });
});

describe('normaliseMultiline', () => {
  test.each([
    ['keeps newlines, unifies CR and CRLF', 'a\r\nb\rc\nd', 'a\nb\nc\nd'],
    ['blank lines stay', 'a\n\n\nb', 'a\n\n\nb'],
    ['bidi still escaped', 'x\u2067y', 'x[U+2067]y'],
    ['controls still replaced', 'x\u0008y', 'x\uFFFDy'],
  ])('%s', (_name, input, expected) => {
    expect(normaliseMultiline(input)).toBe(expected);
    expect(expectedMultiline(input)).toBe(expected);
  });
});

describe('normaliseSummaryText', () => {
  test.each([
    ['newlines and tabs collapse to one space', ' a\n\n\tb\r\nc ', 'a b c'],
    ['controls become spaces', 'a\u0000\u0007b', 'a b'],
    ['bidi escaped', 'a\u202Eb', 'a[U+202E]b'],
  ])('%s', (_name, input, expected) => {
    expect(normaliseSummaryText(input)).toBe(expected);
  });
});

describe('cutting text', () => {
  test('codePointSafeEnd never splits a surrogate pair', () => {
    const text = 'ab😀c';
    expect(codePointSafeEnd(text, 3)).toBe(2);
    expect(codePointSafeEnd(text, 4)).toBe(4);
    expect(codePointSafeEnd(text, 2)).toBe(2);
    expect(codePointSafeEnd(text, 99)).toBe(text.length);
  });

  test.each([
    ['fits', 'abc', 3, 'abc'],
    ['cut with ellipsis', 'abcdef', 4, 'abc…'],
    ['emoji at the boundary is left out whole', 'ab😀cd', 4, 'ab…'],
    ['family emoji (one grapheme) is not split', 'a👨‍👩‍👧b', 6, 'a…'],
    ['combining mark stays with its letter', 'abe\u0301cd', 4, 'ab…'],
    ['no room', 'abc', 0, ''],
  ])('%s', (_name, input, max, expected) => {
    const out = cutToLength(input, max);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(max);
  });
});
