import { describe, expect, test } from '@jest/globals';
import { RequestError } from 'got';
import type { TicketErrorCode } from '../ticket-error.js';
import { jiraRemoteText, jiraResponseError, jiraTransportError } from './jira.errors.js';

const ctx = { system: 'Jira Cloud', nowMs: Date.parse('2026-11-21T10:00:00Z'), secrets: ['jira-api-token-123'] };
const json = (value: unknown) => JSON.stringify(value);

describe('jiraRemoteText', () => {
  test.each([
    ['errorMessages only', json({ errorMessages: ['Issue does not exist'], errors: {} }), 'Issue does not exist'],
    ['field errors', json({ errorMessages: [], errors: { project: 'valid project is required', summary: 'too long' } }), 'project: valid project is required; summary: too long'],
    ['both', json({ errorMessages: ['A'], errors: { labels: "The label 'a b' contains spaces which is invalid." } }), "A; labels: The label 'a b' contains spaces which is invalid."],
    ['a bare message (not Jira\'s envelope: any server can send one)', json({ message: 'listener body text' }), undefined],
    ['a message beside the envelope', json({ errorMessages: ['Issue does not exist'], message: 'listener body text' }), 'Issue does not exist'],
    ['field errors that are not text', json({ errors: { summary: { html: '<b>x</b>' } } }), undefined],
    ['an empty envelope', json({ errorMessages: [], errors: {} }), undefined],
    ['HTML', '<html><body>Bad gateway</body></html>', undefined],
    ['empty', '', undefined],
    ['JSON of another shape', json({ errorMessages: 'not a list' }), undefined],
  ])('%s', (_name, body, expected) => {
    expect(jiraRemoteText(body)).toBe(expected);
  });
});

describe('jiraResponseError', () => {
  const fieldErrors = json({ errorMessages: [], errors: { description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' } });
  test.each<[string, number, Record<string, string>, string, TicketErrorCode, boolean, number | undefined, RegExp]>([
    ['400 field errors', 400, {}, fieldErrors, 'INVALID_REQUEST', false, undefined, /HTTP 400: description: Operation value must be an Atlassian Document/],
    ['401', 401, {}, '', 'AUTHENTICATION', true, undefined, /HTTP 401$/],
    ['403', 403, {}, json({ errorMessages: ['You do not have permission to create issues in this project.'] }), 'PERMISSION', true, undefined, /permission to create issues/],
    ['404', 404, {}, json({ errorMessages: ["No project could be found with key 'NOPE'."] }), 'NOT_FOUND', false, undefined, /No project could be found/],
    ['410 on the old search', 410, {}, json({ errorMessages: ['The requested API has been removed.'] }), 'NOT_FOUND', false, undefined, /HTTP 410: The requested API has been removed/],
    ['422', 422, {}, json({ errorMessages: ['Workflow misconfigured'] }), 'INVALID_REQUEST', false, undefined, /Workflow misconfigured/],
    ['429 seconds', 429, { 'retry-after': '17' }, '', 'RATE_LIMITED', true, 17_000, /HTTP 429/],
    ['429 HTTP-date', 429, { 'retry-after': 'Sat, 21 Nov 2026 10:01:00 GMT' }, '', 'RATE_LIMITED', true, 60_000, /HTTP 429/],
    ['503 with Retry-After', 503, { 'retry-after': '5' }, '', 'REMOTE_UNAVAILABLE', true, 5000, /HTTP 503/],
    ['502 HTML', 502, { 'content-type': 'text/html' }, '<html/>', 'REMOTE_UNAVAILABLE', true, undefined, /text\/html body/],
  ])('%s', (_name, status, headers, body, code, retryable, retryAfterMs, message) => {
    const error = jiraResponseError({ status, headers, body }, ctx);
    expect(error).toMatchObject({ code, retryable, httpStatus: status });
    expect(error.retryAfterMs).toBe(retryAfterMs);
    expect(error.message).toMatch(message);
  });

  test('scrubs a token the remote echoed', () => {
    const body = json({ errorMessages: ['bad token jira-api-token-123'] });
    expect(jiraResponseError({ status: 401, headers: {}, body }, ctx).message).toBe('Jira Cloud answered HTTP 401: bad token [redacted]');
  });
});

describe('jiraTransportError', () => {
  test('a reset connection is a retryable network error', () => {
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(jiraTransportError(new RequestError('read ECONNRESET', cause, undefined as never), ctx)).toMatchObject({
      code: 'NETWORK',
      retryable: true,
      message: 'Jira Cloud could not be reached: ECONNRESET',
    });
  });
});
