import { describe, expect, test } from '@jest/globals';
import { parseRetryAfter } from './retry-after.js';

const NOW = Date.parse('2026-11-21T10:00:00.000Z');

describe('parseRetryAfter', () => {
  test.each([
    ['absent', undefined, undefined],
    ['delay-seconds', '120', 120_000],
    ['zero seconds', '0', 0],
    ['fractional seconds', '1.5', 1500],
    ['padded seconds', ' 7 ', 7000],
    ['first of repeated headers', ['3', '9'], 3000],
    ['IMF-fixdate in the future', 'Sat, 21 Nov 2026 10:00:30 GMT', 30_000],
    ['IMF-fixdate in the past is never negative', 'Sat, 21 Nov 2026 09:59:00 GMT', 0],
    ['RFC 850 date', 'Saturday, 21-Nov-26 10:01:00 GMT', 60_000],
    ['negative number', '-5', undefined],
    ['garbage', 'soon', undefined],
    ['empty', '', undefined],
  ] as const)('%s', (_name, value, expected) => {
    expect(parseRetryAfter(value as string | string[] | undefined, NOW)).toBe(expected);
  });
});
