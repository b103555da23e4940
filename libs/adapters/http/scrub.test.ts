import { describe, expect, test } from '@jest/globals';
import { basicCredentials, scrubSecrets } from './scrub.js';

describe('scrubSecrets', () => {
  const token = 'ATATT3xFfGF0-secret/token+value=';
  const basic = basicCredentials('soc@example.com', token);

  test.each([
    ['a plain secret', `token ${token} echoed`, 'token [redacted] echoed'],
    ['a URL-encoded secret', `q=${encodeURIComponent(token)}`, 'q=[redacted]'],
    ['the Basic credentials', `Authorization: Basic ${basic}`, 'Authorization: Basic [redacted]'],
    ['an unknown Bearer token', 'Authorization: Bearer abcdefghijkl', 'Authorization: Bearer [redacted]'],
    ['text without secrets', 'summary: Summary must be less than 255 characters.', 'summary: Summary must be less than 255 characters.'],
  ])('removes %s', (_name, text, expected) => {
    expect(scrubSecrets(text, [token, basic])).toBe(expected);
  });

  test.each([
    ['an unpaired high surrogate', 'pa\uD800ss'],
    ['an unpaired low surrogate', '\uDC00pass'],
    ['a NUL', 'pa\u0000ss'],
  ])('never throws on a secret with %s, and still removes it', (_what, secret) => {
    expect(scrubSecrets(`refused: ${secret} and ${basicCredentials('bot', secret)}`, [secret, basicCredentials('bot', secret)])).toBe('refused: [redacted] and [redacted]');
  });

  test('never throws on text with unpaired surrogates', () => {
    expect(scrubSecrets('a\uD800 b', [token])).toBe('a\uD800 b');
  });

  test('ignores empty secrets', () => {
    expect(scrubSecrets('unchanged', [''])).toBe('unchanged');
  });
});
