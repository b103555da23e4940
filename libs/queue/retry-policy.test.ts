import { describe, expect, test } from '@jest/globals';
import { mayRetryAfter, retryWait, type RetrySettings } from './retry-policy.js';

const defaults: RetrySettings = { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 3_600_000 };

describe('retryWait', () => {
  test.each([
    [1, undefined, 60_000, 'backoff'],
    [2, undefined, 120_000, 'backoff'],
    [3, undefined, 240_000, 'backoff'],
    [4, undefined, 480_000, 'backoff'],
    [10, undefined, 3_600_000, 'backoff'], // capped
    [1, 3_000, 60_000, 'backoff'], // Retry-After shorter than the backoff: the backoff
    [1, 300_000, 300_000, 'retry-after'], // longer: the remote's
    [2, 7_200_000, 3_600_000, 'retry-after'], // still capped at the maximum
  ])('after attempt %i with Retry-After %p: %i ms (%s)', (attempt, retryAfterMs, waitMs, reason) => {
    expect(retryWait(attempt, retryAfterMs, defaults)).toEqual({ waitMs, reason });
  });

  test('1 s base and 4 s cap, as the fault tests run: 1, 2, 4, 4 s', () => {
    const s = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 4000 };
    expect([1, 2, 3, 4].map((n) => retryWait(n, undefined, s).waitMs)).toEqual([1000, 2000, 4000, 4000]);
  });

  test('RETRY_MAX_ATTEMPTS counts every attempt, the first push included', () => {
    expect([1, 2, 3, 4, 5].map((n) => mayRetryAfter(n, defaults))).toEqual([true, true, true, true, false]);
  });
});
