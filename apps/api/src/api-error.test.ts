import { describe, expect, test } from '@jest/globals';
import Fastify from 'fastify';
import { TicketError, type TicketErrorCode } from '@rhx/adapters';
import { frameworkErrorReply, installErrorHandling, ticketErrorAnswer } from './api-error.js';

const error = (code: TicketErrorCode, extra: { httpStatus?: number; retryAfterMs?: number } = {}) =>
  new TicketError({ code, retryable: false, message: `remote said ${code}`, ...extra });

describe('a TicketError met by the API', () => {
  test.each([
    ['CONFIGURATION', {}, 409, 'TARGET_MISCONFIGURED', undefined],
    ['NETWORK', {}, 502, 'REMOTE_ERROR', { reason: 'NETWORK' }],
    ['TIMEOUT', {}, 502, 'REMOTE_ERROR', { reason: 'TIMEOUT' }],
    ['REMOTE_UNAVAILABLE', { httpStatus: 503 }, 502, 'REMOTE_ERROR', { reason: 'REMOTE_UNAVAILABLE', remoteStatus: 503 }],
    ['RATE_LIMITED', { httpStatus: 429, retryAfterMs: 1500 }, 502, 'REMOTE_ERROR', { reason: 'RATE_LIMITED', remoteStatus: 429 }],
    // The remote's 401/403/404 are about our credentials or its records, not the caller's request.
    ['AUTHENTICATION', { httpStatus: 401 }, 502, 'REMOTE_ERROR', { reason: 'AUTHENTICATION', remoteStatus: 401 }],
    ['PERMISSION', { httpStatus: 403 }, 502, 'REMOTE_ERROR', { reason: 'PERMISSION', remoteStatus: 403 }],
    ['NOT_FOUND', { httpStatus: 404 }, 502, 'REMOTE_ERROR', { reason: 'NOT_FOUND', remoteStatus: 404 }],
    ['INVALID_REQUEST', { httpStatus: 400 }, 502, 'REMOTE_ERROR', { reason: 'INVALID_REQUEST', remoteStatus: 400 }],
    ['UNEXPECTED_RESPONSE', { httpStatus: 200 }, 502, 'REMOTE_ERROR', { reason: 'UNEXPECTED_RESPONSE', remoteStatus: 200 }],
  ] as const)('%s → %s %s', (code, extra, status, apiCode, details) => {
    const answer = ticketErrorAnswer(error(code, extra));
    expect(answer).toMatchObject({ status, code: apiCode, message: `remote said ${code}` });
    expect(answer.details).toEqual(details);
  });

  test('a wait the remote asked for is passed on as Retry-After in whole seconds', async () => {
    const app = Fastify();
    installErrorHandling(app);
    app.get('/x', async () => {
      throw error('RATE_LIMITED', { httpStatus: 429, retryAfterMs: 1500 });
    });
    const res = await app.inject({ method: 'GET', url: '/x' });
    expect(res.statusCode).toBe(502);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json()).toEqual({ error: { code: 'REMOTE_ERROR', message: 'remote said RATE_LIMITED', details: { reason: 'RATE_LIMITED', remoteStatus: 429 } } });
  });
});

describe('failures before routing keep the envelope', () => {
  const app = Fastify({ frameworkErrors: frameworkErrorReply });
  app.get('/items/:id', async () => ({}));
  test.each([
    ['/items/%ZZ', 400, 'BAD_URL'],
    [`/items/${'x'.repeat(101)}`, 414, 'URI_TOO_LONG'],
  ])('%s → %s %s', async (url, status, code) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
  });
});
