import { describe, expect, test } from '@jest/globals';
import { RequestError } from 'got';
import type { TicketErrorCode } from '../ticket-error.js';
import { proactiveRemoteError, proactiveResponseError, proactiveTransportError } from './proactive.errors.js';

const SECRET = 'proactive-secret-xyz';
const ctx = { system: 'Proactive Case API', nowMs: Date.parse('2026-11-21T10:00:00Z'), secrets: [SECRET] };
const envelope = (code: string | null, message: string | null) => JSON.stringify({ error: { code, message } });

describe('proactiveRemoteError', () => {
  test.each([
    ['code and message', envelope('CASE_NOT_FOUND', 'case CS1 was not found'), { code: 'CASE_NOT_FOUND', message: 'case CS1 was not found' }],
    ['message only', envelope(null, 'try later'), { message: 'try later' }],
    ['a code that is not an identifier is dropped', envelope('<b>x</b>', 'm'), { message: 'm' }],
    ['empty parts', envelope('', ' '), undefined],
    ['HTML', '<html>gateway</html>', undefined],
    ['a result instead of an error', JSON.stringify({ result: [] }), undefined],
  ])('%s', (_name, body, expected) => {
    expect(proactiveRemoteError(body)).toEqual(expected);
  });
});

describe('proactiveResponseError', () => {
  test.each<[string, number, Record<string, string>, string, TicketErrorCode, boolean, number | undefined]>([
    ['400 VALIDATION', 400, {}, envelope('VALIDATION', 'priority must be one of "1".."4"'), 'INVALID_REQUEST', false, undefined],
    ['400 FIELD_TOO_LONG', 400, {}, envelope('FIELD_TOO_LONG', 'description must be at most 32000 characters'), 'INVALID_REQUEST', false, undefined],
    ['400 INVALID_TABLE', 400, {}, envelope('INVALID_TABLE', 'table Incident is not available'), 'CONFIGURATION', false, undefined],
    ['400 INVALID_SERVICE_IDENTIFIER', 400, {}, envelope('INVALID_SERVICE_IDENTIFIER', 'serviceIdentifier is not available'), 'CONFIGURATION', false, undefined],
    ['401 UNAUTHORIZED', 401, {}, envelope('UNAUTHORIZED', 'invalid app id or secret'), 'AUTHENTICATION', true, undefined],
    ['403 SOURCE_NOT_ALLOWED', 403, {}, envelope('SOURCE_NOT_ALLOWED', 'source not allowed'), 'PERMISSION', true, undefined],
    ['404 CASE_NOT_FOUND', 404, {}, envelope('CASE_NOT_FOUND', 'case CS1 was not found'), 'NOT_FOUND', false, undefined],
    ['429 RATE_LIMITED', 429, { 'retry-after': '30' }, envelope('RATE_LIMITED', 'slow down'), 'RATE_LIMITED', true, 30_000],
    ['500', 500, {}, envelope('INTERNAL', 'internal error'), 'REMOTE_UNAVAILABLE', true, undefined],
    ['503 HTML with Retry-After', 503, { 'retry-after': '5' }, '<html/>', 'REMOTE_UNAVAILABLE', true, 5000],
  ])('%s', (_name, status, headers, body, code, retryable, retryAfterMs) => {
    const error = proactiveResponseError({ status, headers, body }, ctx);
    expect(error).toMatchObject({ code, retryable, httpStatus: status });
    expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  test('INVALID_SERVICE_IDENTIFIER: the provider’s message verbatim, its code kept', () => {
    const error = proactiveResponseError({ status: 400, headers: {}, body: envelope('INVALID_SERVICE_IDENTIFIER', 'serviceIdentifier is not available') }, ctx);
    expect(error.message).toBe('serviceIdentifier is not available');
    expect(error.remoteCode).toBe('INVALID_SERVICE_IDENTIFIER');
  });

  test('a body without the envelope names the status', () => {
    const error = proactiveResponseError({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html/>' }, ctx);
    expect(error.message).toBe('Proactive Case API answered HTTP 502 (a text/html body without an error message)');
    expect(error.remoteCode).toBeUndefined();
  });

  test('scrubs the secret the provider echoes', () => {
    const error = proactiveResponseError({ status: 401, headers: {}, body: envelope('UNAUTHORIZED', `secret ${SECRET} rejected`) }, ctx);
    expect(error.message).toBe('secret [redacted] rejected');
  });

  test('scrubs before clipping: the secret straddling the clip leaves no part of itself', () => {
    // SECRET starts 8 characters before the 1000-character clip.
    const message = `${'x'.repeat(992)}${SECRET} rejected`;
    const error = proactiveResponseError({ status: 401, headers: {}, body: envelope('UNAUTHORIZED', message) }, ctx);
    expect(error.message).not.toContain('proactiv');
    expect(error.message).toMatch(/x\[redacte…$/);
  });
});

describe('proactiveTransportError', () => {
  const failed = (code: string) => new RequestError(code, Object.assign(new Error(code), { code }), undefined as never);

  test('a refused connection is a retryable network error', () => {
    expect(proactiveTransportError(failed('ECONNREFUSED'), ctx)).toMatchObject({ code: 'NETWORK', retryable: true });
  });

  test('a certificate the client refused is named, with the switch for test instances', () => {
    const error = proactiveTransportError(failed('DEPTH_ZERO_SELF_SIGNED_CERT'), ctx);
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(error.message).toBe(
      'Proactive Case API TLS certificate was not accepted (DEPTH_ZERO_SELF_SIGNED_CERT); PROACTIVE_SNOW_VERIFY_SSL=false turns verification off for a test instance',
    );
  });
});
