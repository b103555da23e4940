/** The delivery retry settings (CONTRACT §2: `RETRY_MAX_ATTEMPTS`, `RETRY_BASE_DELAY_SECONDS`, `RETRY_MAX_DELAY_SECONDS`). */
export interface RetrySettings {
  /** Attempts in all, the first push included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export function retrySettingsFrom(config: { RETRY_MAX_ATTEMPTS: number; RETRY_BASE_DELAY_SECONDS: number; RETRY_MAX_DELAY_SECONDS: number }): RetrySettings {
  return { maxAttempts: config.RETRY_MAX_ATTEMPTS, baseDelayMs: config.RETRY_BASE_DELAY_SECONDS * 1000, maxDelayMs: config.RETRY_MAX_DELAY_SECONDS * 1000 };
}

/** The wait before the next attempt, and why. */
export interface RetryWait {
  waitMs: number;
  reason: 'backoff' | 'retry-after';
}

/**
 * The wait after failed attempt `attempt` (1 = the first push): base × 2^(attempt−1), or the remote's
 * `Retry-After` when that is longer; never more than the maximum, whichever it is. Pure, so the worker
 * that records the wait and BullMQ's backoff strategy that applies it always agree.
 */
export function retryWait(attempt: number, retryAfterMs: number | undefined, s: RetrySettings): RetryWait {
  const backoff = Math.min(s.baseDelayMs * 2 ** Math.max(0, attempt - 1), s.maxDelayMs);
  if (retryAfterMs !== undefined && retryAfterMs > backoff) return { waitMs: Math.min(retryAfterMs, s.maxDelayMs), reason: 'retry-after' };
  return { waitMs: backoff, reason: 'backoff' };
}

/** Whether attempt `attempt` may be followed by another. */
export function mayRetryAfter(attempt: number, s: RetrySettings): boolean {
  return attempt < s.maxAttempts;
}
