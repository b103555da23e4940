import { z } from 'zod';
import { TicketError } from '@rhx/adapters';
import { fieldProblems } from '@rhx/domain';
import { mayRetryAfter, retryWait, type RetrySettings, type RetryWait } from '@rhx/queue';
import { SettingsUnreadableError } from '@rhx/settings';

/** A failure as recorded on a delivery and its attempt. */
export interface PushFailure {
  code: string;
  message: string;
  /** UNKNOWN: the request may have reached the remote and made the ticket before the failure was seen. */
  outcome: 'FAILED' | 'UNKNOWN';
  /** Timeouts, connection errors, 408, 429, 5xx and 401/403 (the product retries authentication failures). */
  retryable: boolean;
  retryAfterMs?: number;
  httpStatus?: number;
}

// The request may have reached the remote and made the ticket before this failure was seen.
const OUTCOME_UNKNOWN = new Set(['TIMEOUT', 'NETWORK', 'REMOTE_UNAVAILABLE', 'UNEXPECTED_RESPONSE']);

/**
 * The failure to record for an error of a push, or undefined for an error that is not about this
 * delivery (the database or Redis is away): that one is thrown so the job fails and is run again.
 */
export function failureOf(err: unknown): PushFailure | undefined {
  if (err instanceof TicketError) {
    return {
      code: err.code,
      message: err.message,
      outcome: OUTCOME_UNKNOWN.has(err.code) ? 'UNKNOWN' : 'FAILED',
      retryable: err.retryable,
      ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
      ...(err.httpStatus === undefined ? {} : { httpStatus: err.httpStatus }),
    };
  }
  if (err instanceof SettingsUnreadableError) return { code: 'SETTINGS_UNREADABLE', message: err.message, outcome: 'FAILED', retryable: false };
  if (err instanceof z.ZodError) {
    const problems = fieldProblems(err).map((p) => `${p.path}: ${p.message}`).join('; ');
    return { code: 'INVALID_INCIDENT', message: `the stored incident does not validate: ${problems}`, outcome: 'FAILED', retryable: false };
  }
  return undefined;
}

/** The one failure policy: after failed attempt `attempt`, the wait before the next one, or undefined when there is none. */
export function nextAttempt(failure: PushFailure, attempt: number, settings: RetrySettings): RetryWait | undefined {
  if (!failure.retryable || !mayRetryAfter(attempt, settings)) return undefined;
  return retryWait(attempt, failure.retryAfterMs, settings);
}
