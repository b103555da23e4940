import { describe, expect, test } from '@jest/globals';
import { RequestError } from 'got';
import type { TicketErrorCode } from '../ticket-error.js';
import { serviceNowRemoteText, serviceNowResponseError, serviceNowTransportError } from './servicenow.errors.js';

const ctx = { system: 'ServiceNow', nowMs: Date.parse('2026-11-21T10:00:00Z'), secrets: ['snow-password-xyz'] };
const envelope = (message: string | null, detail: string | null) => JSON.stringify({ error: { message, detail }, status: 'failure' });

describe('serviceNowRemoteText', () => {
  test.each([
    ['message and detail', envelope('No Record found', "Record doesn't exist or ACL restricts the record retrieval"), "No Record found: Record doesn't exist or ACL restricts the record retrieval"],
    ['message only', envelope('User Not Authenticated', null), 'User Not Authenticated'],
    ['empty parts', envelope('', null), undefined],
    ['HTML', '<html>Instance Hibernating</html>', undefined],
    ['a result instead of an error', JSON.stringify({ result: [] }), undefined],
    ['a free message beside the envelope', JSON.stringify({ message: 'listener body text', error: { message: 'User Not Authenticated' } }), 'User Not Authenticated'],
    ['a bare message', JSON.stringify({ message: 'listener body text' }), undefined],
  ])('%s', (_name, body, expected) => {
    expect(serviceNowRemoteText(body)).toBe(expected);
  });
});

describe('serviceNowResponseError', () => {
  test.each<[string, number, Record<string, string>, string, TicketErrorCode, boolean, number | undefined]>([
    ['400', 400, {}, envelope('Exception while reading request', 'The payload is not valid JSON.'), 'INVALID_REQUEST', false, undefined],
    ['401', 401, {}, envelope('User Not Authenticated', 'Required to provide Auth information'), 'AUTHENTICATION', true, undefined],
    ['403', 403, {}, envelope('Operation Failed', 'ACL Exception Insert Failed due to security constraints'), 'PERMISSION', true, undefined],
    ['404', 404, {}, envelope('No Record found', 'Record doesn’t exist'), 'NOT_FOUND', false, undefined],
    ['429 seconds', 429, { 'retry-after': '42' }, envelope('Rate limit exceeded', null), 'RATE_LIMITED', true, 42_000],
    ['429 HTTP-date', 429, { 'retry-after': 'Sat, 21 Nov 2026 10:00:10 GMT' }, '', 'RATE_LIMITED', true, 10_000],
    ['500', 500, {}, envelope('Internal error', null), 'REMOTE_UNAVAILABLE', true, undefined],
    ['503 with Retry-After', 503, { 'retry-after': '120' }, '<html/>', 'REMOTE_UNAVAILABLE', true, 120_000],
  ])('%s', (_name, status, headers, body, code, retryable, retryAfterMs) => {
    const error = serviceNowResponseError({ status, headers, body }, ctx);
    expect(error).toMatchObject({ code, retryable, httpStatus: status });
    expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  test("carries the platform's own message and detail", () => {
    const error = serviceNowResponseError({ status: 400, headers: {}, body: envelope('Invalid table incidnt', null) }, ctx);
    expect(error.message).toBe('ServiceNow answered HTTP 400: Invalid table incidnt');
  });

  test('scrubs the password', () => {
    const body = envelope('User Not Authenticated', 'password snow-password-xyz rejected');
    expect(serviceNowResponseError({ status: 401, headers: {}, body }, ctx).message).not.toContain('snow-password-xyz');
  });
});

describe('serviceNowTransportError', () => {
  test('a refused connection is a retryable network error', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(serviceNowTransportError(new RequestError('connect ECONNREFUSED', cause, undefined as never), ctx)).toMatchObject({
      code: 'NETWORK',
      retryable: true,
    });
  });
});
