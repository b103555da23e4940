import { describe, expect, test } from '@jest/globals';
import { RequestError, TimeoutError } from 'got';
import { TicketError, type TicketErrorCode } from '../ticket-error.js';
import { transportError } from './transport-errors.js';

const ctx = { system: 'Remote', nowMs: 0, secrets: ['hunter2-secret'] };

function nodeError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 10.0.0.1:443 hunter2-secret`), { code });
}

function gotError(code: string): RequestError {
  return new RequestError(`read ${code}`, nodeError(code), undefined as never);
}

describe('transportError', () => {
  test.each<[string, unknown, TicketErrorCode, boolean]>([
    ['ECONNRESET', gotError('ECONNRESET'), 'NETWORK', true],
    ['ECONNREFUSED', gotError('ECONNREFUSED'), 'NETWORK', true],
    ['ENOTFOUND', gotError('ENOTFOUND'), 'NETWORK', true],
    ['EAI_AGAIN', gotError('EAI_AGAIN'), 'NETWORK', true],
    ['EPIPE', gotError('EPIPE'), 'NETWORK', true],
    ['socket ETIMEDOUT', gotError('ETIMEDOUT'), 'NETWORK', true],
    ['a bare Node error', nodeError('ECONNRESET'), 'NETWORK', true],
    ['an unknown request error', gotError('ERR_GOT_REQUEST_ERROR'), 'NETWORK', true],
    ['an invalid URL', nodeError('ERR_INVALID_URL'), 'CONFIGURATION', false],
    ['something thrown that is not an error', 'boom', 'NETWORK', true],
  ])('%s → %s', (_name, error, code, retryable) => {
    const ticketError = transportError(error, ctx);
    expect(ticketError).toMatchObject({ code, retryable });
    expect(ticketError.message).not.toContain('hunter2-secret');
    expect(ticketError.httpStatus).toBeUndefined();
  });

  test("got's TimeoutError → TIMEOUT, retryable", () => {
    const timeout = new TimeoutError(Object.assign(new Error('Timeout awaiting request'), { event: 'request', code: 'ETIMEDOUT' }) as never, {} as never, undefined as never);
    expect(transportError(timeout, ctx)).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  test('keeps only name and code as the cause (got errors hold the request headers)', () => {
    const error = transportError(gotError('ECONNRESET'), ctx);
    expect(error.cause).toEqual({ name: 'RequestError', code: 'ECONNRESET' });
  });

  test('passes a TicketError through', () => {
    const original = new TicketError({ code: 'CONFIGURATION', retryable: false, message: 'x' });
    expect(transportError(original, ctx)).toBe(original);
  });
});
