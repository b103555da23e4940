import type { TicketError, TicketErrorCode } from '../ticket-error.js';
import { clip, errorForStatus, jsonOrUndefined, ticketError, transportError, type ErrorContext, type HttpAnswer } from '../http/index.js';
import { proactiveErrorEnvelopeSchema } from './proactive.schemas.js';

/** The provider's own words from an error body; `undefined` when the body is not its envelope or says nothing. */
export interface ProactiveRemoteError {
  code?: string;
  message?: string;
}

// 400 codes that name a setting of ours (the service identifier, the table): an operator must change
// it, waiting does not. The others are about the request itself.
const SETTING_CODES: Readonly<Record<string, TicketErrorCode>> = {
  INVALID_SERVICE_IDENTIFIER: 'CONFIGURATION',
  INVALID_TABLE: 'CONFIGURATION',
};

/** `{error: {code, message}}` → its non-empty parts, or `undefined`. */
export function proactiveRemoteError(body: string): ProactiveRemoteError | undefined {
  const parsed = proactiveErrorEnvelopeSchema.safeParse(jsonOrUndefined(body));
  if (!parsed.success) return undefined;
  // A code is an identifier; anything else is not repeated as one.
  const code = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(parsed.data.error.code?.trim() ?? '') ? parsed.data.error.code!.trim() : undefined;
  const message = parsed.data.error.message?.trim() || undefined;
  if (!code && !message) return undefined;
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

/**
 * A non-2xx answer → {@link TicketError}. Retry is decided by the status as for every adapter (400 and
 * 404 permanent; 401/403/408/429/5xx retryable with `Retry-After`); a 400 naming a setting
 * (`INVALID_SERVICE_IDENTIFIER`, `INVALID_TABLE`) is a `CONFIGURATION` error. When the provider gave its
 * envelope, the message is its own message verbatim (scrubbed, clipped) and `remoteCode` its code.
 */
export function proactiveResponseError(answer: HttpAnswer, ctx: ErrorContext): TicketError {
  const remote = proactiveRemoteError(answer.body);
  const base = errorForStatus(answer, remote?.message ?? remote?.code, ctx);
  if (!remote) return base;
  const code = (answer.status === 400 && remote.code && SETTING_CODES[remote.code]) || base.code;
  return ticketError(ctx, {
    code,
    retryable: base.retryable,
    httpStatus: answer.status,
    ...(base.retryAfterMs !== undefined ? { retryAfterMs: base.retryAfterMs } : {}),
    ...(remote.code ? { remoteCode: remote.code } : {}),
    message: remote.message ? clip(remote.message, ctx.secrets) : base.message,
  });
}

// Node's codes for a certificate the client did not accept.
const TLS_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_[A-Z_]+|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/**
 * A request that got no answer → {@link TicketError}: timeouts and connection failures retryable as for
 * every adapter; a certificate the client refused is named (the provider may renew it, so it is retried).
 */
export function proactiveTransportError(error: unknown, ctx: ErrorContext): TicketError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  if (!TLS_CODES.test(code)) return transportError(error, ctx);
  return ticketError(ctx, {
    code: 'NETWORK',
    retryable: true,
    cause: { name: error instanceof Error ? error.name : 'Error', code },
    message: `${ctx.system} TLS certificate was not accepted (${code}); PROACTIVE_SNOW_VERIFY_SSL=false turns verification off for a test instance`,
  });
}
