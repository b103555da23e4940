import { describe, expect, test } from '@jest/globals';
import { TicketError, type TicketErrorCode } from '@rhx/adapters';
import { nextAttempt, outcomeOf, unexpectedFailureOf, type PushFailure } from './push-failure.js';

const error = (code: TicketErrorCode, httpStatus?: number, causeCode?: string) =>
  new TicketError({ code, retryable: true, message: 'm', ...(httpStatus ? { httpStatus } : {}), ...(causeCode ? { cause: { name: 'RequestError', code: causeCode } } : {}) });

describe('whether a failed call may have done its work', () => {
  test.each<[string, TicketError, PushFailure['outcome']]>([
    ['429: refused before anything was done', error('RATE_LIMITED', 429), 'FAILED'],
    ['503: the remote was unavailable, nothing applied', error('REMOTE_UNAVAILABLE', 503), 'FAILED'],
    ['a refused connection never reached the remote', error('NETWORK', undefined, 'ECONNREFUSED'), 'FAILED'],
    ['a name that did not resolve never reached it either', error('NETWORK', undefined, 'ENOTFOUND'), 'FAILED'],
    ['408: the remote did not get the whole request', error('TIMEOUT', 408), 'FAILED'],
    ['a reset after sending: unknown', error('NETWORK', undefined, 'ECONNRESET'), 'UNKNOWN'],
    ['a timeout after sending: unknown', error('TIMEOUT'), 'UNKNOWN'],
    ['500: unknown', error('REMOTE_UNAVAILABLE', 500), 'UNKNOWN'],
    ['502: unknown', error('REMOTE_UNAVAILABLE', 502), 'UNKNOWN'],
    ['504: unknown', error('REMOTE_UNAVAILABLE', 504), 'UNKNOWN'],
    ['an answer that cannot be read: unknown', error('UNEXPECTED_RESPONSE', 200), 'UNKNOWN'],
    ['400: refused', error('INVALID_REQUEST', 400), 'FAILED'],
  ])('%s', (_name, err, outcome) => {
    expect(outcomeOf(err)).toBe(outcome);
  });
});

describe('the wait before the next attempt', () => {
  const settings = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 8000, settleMs: 60_000 };
  const failure = (outcome: PushFailure['outcome']): PushFailure => ({ code: 'X', message: 'm', outcome, retryable: true });

  test('a create whose outcome is unknown waits for it to settle before its look-up', () => {
    expect(nextAttempt(failure('UNKNOWN'), 1, settings, 'create')).toEqual({ waitMs: 60_000, reason: 'outcome-settle' });
  });
  test('a create that is known to have failed waits the backoff only', () => {
    expect(nextAttempt(failure('FAILED'), 1, settings, 'create')).toEqual({ waitMs: 1000, reason: 'backoff' });
  });
  test('an update reads its marker back at once (comments and journals are consistent reads)', () => {
    expect(nextAttempt(failure('UNKNOWN'), 2, settings, 'update')).toEqual({ waitMs: 2000, reason: 'backoff' });
  });
  test('a backoff longer than the settle time stands', () => {
    expect(nextAttempt(failure('UNKNOWN'), 3, { ...settings, settleMs: 3000 }, 'create')).toEqual({ waitMs: 4000, reason: 'backoff' });
  });
  test.each<[string, string, number, string | null, boolean]>([
    ['401 after 401: stop', 'AUTHENTICATION', 2, 'AUTHENTICATION', false],
    ['403 after 401: stop', 'PERMISSION', 3, 'AUTHENTICATION', false],
    ['401 after a 503: try again', 'AUTHENTICATION', 2, 'REMOTE_UNAVAILABLE', true],
    ['the first 401 of a round (after a re-drive), even after an earlier round’s 401: try again', 'AUTHENTICATION', 1, 'AUTHENTICATION', true],
    ['a 503 after a 401: try again', 'REMOTE_UNAVAILABLE', 2, 'AUTHENTICATION', true],
  ])('credentials refused twice in a row stop the delivery: %s', (_why, code, attempt, previous, retried) => {
    const refused: PushFailure = { code, message: 'm', outcome: 'FAILED', retryable: true, httpStatus: 401 };
    expect(nextAttempt(refused, attempt, settings, 'create', previous) !== undefined).toBe(retried);
  });
  test('the last attempt of the round has no next one', () => {
    expect(nextAttempt(failure('UNKNOWN'), 5, settings, 'create')).toBeUndefined();
  });
});

describe('an error while a request is prepared', () => {
  test('data that breaks a renderer or encoder is a permanent failure with its reason', () => {
    expect(unexpectedFailureOf(new URIError('URI malformed'))).toEqual({
      code: 'PREPARE_FAILED', message: 'the request could not be prepared: URIError: URI malformed', outcome: 'FAILED', retryable: false,
    });
    expect(unexpectedFailureOf(new TypeError('x is undefined'))).toMatchObject({ code: 'PREPARE_FAILED' });
  });
  test('anything else (the database or Redis away) is thrown so the job runs again', () => {
    expect(unexpectedFailureOf(new Error('Connection terminated unexpectedly'))).toBeUndefined();
    expect(unexpectedFailureOf(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBeUndefined();
  });
});
