import { z } from 'zod';
import { TicketError } from '@rhx/adapters';
import { fieldProblems, type DeliveryKind } from '@rhx/domain';
import { mayRetryAfter, retryWait, type RetrySettings } from '@rhx/queue';
import { SettingsUnreadableError } from '@rhx/settings';

/** A failure as recorded on a delivery and its attempt. */
export interface PushFailure {
  code: string;
  message: string;
  /**
   * UNKNOWN: the request may have reached the remote and done its work (made the ticket, added the
   * update) before the failure was seen. FAILED: the answer says nothing was done.
   */
  outcome: 'FAILED' | 'UNKNOWN';
  /** Timeouts, connection errors, 408, 429, 5xx and 401/403 (the product retries authentication failures). */
  retryable: boolean;
  retryAfterMs?: number;
  httpStatus?: number;
}

/** The wait before the next attempt, and why: the backoff, the remote's `Retry-After`, or an unknown outcome settling. */
export interface NextAttempt {
  waitMs: number;
  reason: 'backoff' | 'retry-after' | 'outcome-settle';
}

/** `401` and `403`: the remote refused the credentials or their rights. */
const CREDENTIAL_REFUSALS = new Set(['AUTHENTICATION', 'PERMISSION']);

// Connections that were never made: the request cannot have reached the remote.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN']);

/**
 * Whether a failed call may have done its work. An answer that says nothing was applied (`429`, `503`:
 * the remote refused it before doing anything; `4xx`: it refused it) or a connection that was never made
 * is known to have done nothing. A timeout after sending, a reset connection, a `500`/`502`/`504` or an
 * answer that cannot be read may have: that outcome is unknown, and the next attempt checks first.
 */
export function outcomeOf(err: TicketError): PushFailure['outcome'] {
  if (err.httpStatus === 429 || err.httpStatus === 503) return 'FAILED';
  if (err.code === 'NETWORK') return NOT_CONNECTED.has(causeCode(err) ?? '') ? 'FAILED' : 'UNKNOWN';
  if (err.code === 'TIMEOUT') return err.httpStatus === 408 ? 'FAILED' : 'UNKNOWN';
  if (err.code === 'REMOTE_UNAVAILABLE' || err.code === 'UNEXPECTED_RESPONSE') return 'UNKNOWN';
  return 'FAILED';
}

function causeCode(err: TicketError): string | undefined {
  const cause = err.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * The failure to record for an error of a run, or undefined for an error that is not about this
 * delivery (the database or Redis is away): that one is thrown so the job fails and is run again.
 */
export function failureOf(err: unknown): PushFailure | undefined {
  if (err instanceof TicketError) {
    return {
      code: err.code,
      message: err.message,
      outcome: outcomeOf(err),
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

// What data no rule foresaw throws while a request is built (a setting or text that breaks a renderer or
// an encoder): the same data throws again on every run. Anything else (the database or Redis away, whose
// errors are plain Errors or carry a code) may pass, so it is thrown and the job runs again.
const DATA_ERRORS = [TypeError, RangeError, URIError, SyntaxError];

/**
 * An error while a run prepared its request that is not a typed failure but a defect or data no rule
 * foresaw: recorded as a permanent failure (`PREPARE_FAILED`, with its reason), so the delivery says why
 * instead of staying PENDING with no attempt. Any other error stays undefined (thrown: the job runs again).
 */
export function unexpectedFailureOf(err: unknown): PushFailure | undefined {
  if (!DATA_ERRORS.some((type) => err instanceof type)) return undefined;
  const e = err as Error;
  return { code: 'PREPARE_FAILED', message: `the request could not be prepared: ${e.name}: ${e.message.slice(0, 300)}`, outcome: 'FAILED', retryable: false };
}

/**
 * The one failure policy: after failed attempt `attempt` of a delivery of `kind`, the wait before the
 * next one, or undefined when there is none. A create whose outcome is unknown waits at least `settleMs`
 * (the look-up that comes first reads the remote's search, which lags behind its creates).
 */
export function nextAttempt(
  failure: PushFailure, attempt: number, settings: RetrySettings & { settleMs?: number }, kind: DeliveryKind = 'create', previousCode?: string | null,
): NextAttempt | undefined {
  if (!failure.retryable || !mayRetryAfter(attempt, settings)) return undefined;
  // Credentials refused twice in a row (after any token refresh) will not pass by waiting: the delivery
  // stops, re-drivable once someone fixes them, instead of spending every attempt on a dead credential.
  if (attempt > 1 && CREDENTIAL_REFUSALS.has(failure.code) && CREDENTIAL_REFUSALS.has(previousCode ?? '')) return undefined;
  const wait = retryWait(attempt, failure.retryAfterMs, settings);
  const settleMs = settings.settleMs ?? 0;
  if (kind === 'create' && failure.outcome === 'UNKNOWN' && settleMs > wait.waitMs) return { waitMs: settleMs, reason: 'outcome-settle' };
  return wait;
}
