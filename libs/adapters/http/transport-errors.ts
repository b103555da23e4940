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

// TLS failures, each said plainly (the connection test shows them): none is retried, a setting must change.
const TLS_FAILURES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not signed by a CA this process trusts: give the system\'s CA bundle (<SYSTEM>_CA_FILE)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is not signed by a CA this process trusts: give the system\'s CA bundle (<SYSTEM>_CA_FILE)',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain ends in a CA this process does not trust: give the system\'s CA bundle (<SYSTEM>_CA_FILE)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed: give it as the system\'s CA bundle (<SYSTEM>_CA_FILE)',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  CERT_NOT_YET_VALID: 'its TLS certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not name this host (host name mismatch)',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'it asks for a client certificate and none was given (<SYSTEM>_CLIENT_CERT_FILE and _KEY_FILE)',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'it refused the client certificate',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'it refused the client certificate: its CA is not one the remote trusts',
};

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
  if (code !== undefined && TLS_FAILURES[code]) {
    return ticketError(ctx, { code: 'CONFIGURATION', retryable: false, cause, message: `${ctx.system} could not be reached securely: ${TLS_FAILURES[code]}` });
  }
  const proxyRefusal = proxyStatus(error);
  if (proxyRefusal !== undefined) {
    const why = proxyRefusal === 407 ? 'proxy authentication required: check the credentials in HTTPS_PROXY' : proxyRefusal === 403 ? 'the proxy does not allow this host' : 'the proxy refused the tunnel';
    return ticketError(ctx, { code: proxyRefusal === 407 || proxyRefusal === 403 ? 'CONFIGURATION' : 'NETWORK', retryable: proxyRefusal !== 407 && proxyRefusal !== 403, cause, message: `${ctx.system} could not be reached through the proxy (HTTP ${proxyRefusal}: ${why})` });
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

// hpagent fails a refused CONNECT with `Bad response: <status>` (and no code).
function proxyStatus(error: unknown): number | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const match = /^Bad response: (\d{3})$/.exec(e.message);
    if (match) return Number(match[1]);
  }
  return undefined;
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
