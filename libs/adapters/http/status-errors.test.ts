import { describe, expect, test } from '@jest/globals';
import type { TicketErrorCode } from '../ticket-error.js';
import { errorForStatus, unexpectedResponse } from './status-errors.js';

const ctx = { system: 'Remote', nowMs: Date.parse('2026-11-21T10:00:00Z'), secrets: ['s3cr3t-token'] };

describe('errorForStatus', () => {
  test.each<[number, Record<string, string>, TicketErrorCode, boolean, number | undefined]>([
    [400, {}, 'INVALID_REQUEST', false, undefined],
    [401, {}, 'AUTHENTICATION', true, undefined],
    [403, {}, 'PERMISSION', true, undefined],
    [404, {}, 'NOT_FOUND', false, undefined],
    [405, {}, 'INVALID_REQUEST', false, undefined],
    [408, {}, 'TIMEOUT', true, undefined],
    [409, {}, 'INVALID_REQUEST', false, undefined],
    [410, {}, 'NOT_FOUND', false, undefined],
    [413, {}, 'INVALID_REQUEST', false, undefined],
    [422, {}, 'INVALID_REQUEST', false, undefined],
    [429, {}, 'RATE_LIMITED', true, undefined],
    [429, { 'retry-after': '30' }, 'RATE_LIMITED', true, 30_000],
    [429, { 'retry-after': 'Sat, 21 Nov 2026 10:02:00 GMT' }, 'RATE_LIMITED', true, 120_000],
    [500, {}, 'REMOTE_UNAVAILABLE', true, undefined],
    [502, {}, 'REMOTE_UNAVAILABLE', true, undefined],
    [503, { 'retry-after': '7' }, 'REMOTE_UNAVAILABLE', true, 7000],
    [504, {}, 'REMOTE_UNAVAILABLE', true, undefined],
    [302, {}, 'UNEXPECTED_RESPONSE', true, undefined],
    [400, { 'retry-after': '5' }, 'INVALID_REQUEST', false, undefined],
  ])('HTTP %i %j → %s retryable=%s retryAfterMs=%s', (status, headers, code, retryable, retryAfterMs) => {
    const error = errorForStatus({ status, headers, body: '' }, undefined, ctx);
    expect(error).toMatchObject({ code, retryable, httpStatus: status });
    expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  test('carries the remote text, scrubbed and clipped', () => {
    const error = errorForStatus({ status: 400, headers: {}, body: '' }, `bad token s3cr3t-token ${'x'.repeat(2000)}`, ctx);
    expect(error.message).toMatch(/^Remote answered HTTP 400: bad token \[redacted\] x+…$/);
    expect(error.message.length).toBeLessThan(1100);
  });

  test('scrubs before clipping: a secret cut in half by the clip leaves no part of itself', () => {
    // The secret starts 6 characters before the clip, so clipping first would keep `s3cr3t` and miss the match.
    const text = `${'x'.repeat(994)}s3cr3t-token and more`;
    const error = errorForStatus({ status: 400, headers: {}, body: '' }, text, ctx);
    expect(error.message).not.toContain('s3cr3t');
    expect(error.message).toMatch(/x\[redac…$/);
  });

  test('scrubs before clipping: an unknown Bearer token cut by the clip leaves no part of itself', () => {
    const text = `${'x'.repeat(985)} Bearer abcdefghijklmnop`;
    const error = errorForStatus({ status: 401, headers: {}, body: '' }, text, ctx);
    expect(error.message).not.toContain('abcd');
  });

  test('names a body it could not read', () => {
    const error = errorForStatus({ status: 502, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html/>' }, undefined, ctx);
    expect(error.message).toBe('Remote answered HTTP 502 (a text/html body without an error message)');
  });

  test('names a content type only when it is a plain media type, never other header text', () => {
    const header = { 'content-type': 'text/plain; charset=utf-8' };
    expect(errorForStatus({ status: 401, headers: header, body: 'x' }, undefined, ctx).message).toBe('Remote answered HTTP 401 (a text/plain body without an error message)');
    const odd = { 'content-type': 'listener says hello world' };
    expect(errorForStatus({ status: 401, headers: odd, body: 'x' }, undefined, ctx).message).toBe('Remote answered HTTP 401 (a non-JSON body without an error message)');
  });
});

describe('unexpectedResponse', () => {
  test('is retryable and keeps the status', () => {
    expect(unexpectedResponse(200, 'the body is not JSON', ctx)).toMatchObject({ code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 200 });
  });
});
