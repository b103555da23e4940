import { RequestError, TimeoutError } from 'got';
import { TicketError } from '../ticket-error.js';
import type { ErrorContext } from './error-context.js';
import { HOST_NOT_ALLOWED, HostNotAllowedError } from './guarded-agents.js';
import { ticketError } from './status-errors.js';

// Codes Node and got report when the connection (not the remote's answer) failed.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * The error for a request that got no HTTP answer: got's `TimeoutError` → TIMEOUT, a connection
 * failure → NETWORK, both retryable; an unparseable URL or a host `INTEGRATION_ALLOWED_HOSTS` does
 * not allow → CONFIGURATION (permanent: waiting does not change the setting). The cause
 * kept is only `{name, code}`: got's own error holds the request options, Authorization included.
 */
export function transportError(error: unknown, ctx: ErrorContext): TicketError {
  if (error instanceof TicketError) return error;
  const code = errorCode(error);
  const cause = { name: error instanceof Error ? error.name : typeof error, code };
  if (error instanceof TimeoutError) {
    return ticketError(ctx, {
      code: 'TIMEOUT',
      retryable: true,
      cause,
      message: `${ctx.system} did not answer in time (${error.event} timeout)`,
    });
  }
  if (code === HOST_NOT_ALLOWED) {
    // The host only: the internal address a name resolved to is not for whoever can run a connection test.
    const where = refusalIn(error)?.host ?? 'its host';
    return ticketError(ctx, {
      code: 'CONFIGURATION',
      retryable: false,
      cause,
      message: `${ctx.system} was not contacted: ${where} is not a public address; list it in INTEGRATION_ALLOWED_HOSTS to allow it`,
    });
  }
  if (code === 'ERR_INVALID_URL') {
    return ticketError(ctx, { code: 'CONFIGURATION', retryable: false, cause, message: `${ctx.system} URL is invalid` });
  }
  const known = code !== undefined && NETWORK_CODES.has(code);
  const what = known ? code : error instanceof RequestError ? 'connection failed' : 'request failed';
  return ticketError(ctx, {
    code: 'NETWORK',
    retryable: true,
    cause,
    message: `${ctx.system} could not be reached: ${what}`,
  });
}

function refusalIn(error: unknown): HostNotAllowedError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    if (e instanceof HostNotAllowedError) return e;
  }
  return undefined;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
