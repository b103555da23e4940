import { TicketError, type TicketErrorCode } from '../ticket-error.js';
import { clip, type ErrorContext, type HttpAnswer } from './error-context.js';
import { MAX_ANSWER_BYTES, type AnswerCount } from './bounded-body.js';
import { parseRetryAfter } from './retry-after.js';
import { scrubSecrets } from './scrub.js';

interface StatusRule {
  code: TicketErrorCode;
  retryable: boolean;
}

// The product retries authentication and permission failures (an expired token gets renewed,
// a missing role gets granted); a request the remote rejects as invalid never gets better.
function ruleFor(status: number): StatusRule {
  if (status === 401) return { code: 'AUTHENTICATION', retryable: true };
  if (status === 403) return { code: 'PERMISSION', retryable: true };
  if (status === 404 || status === 410) return { code: 'NOT_FOUND', retryable: false };
  if (status === 408) return { code: 'TIMEOUT', retryable: true };
  if (status === 429) return { code: 'RATE_LIMITED', retryable: true };
  if (status >= 500 && status <= 599) return { code: 'REMOTE_UNAVAILABLE', retryable: true };
  if (status >= 400 && status <= 499) return { code: 'INVALID_REQUEST', retryable: false };
  return { code: 'UNEXPECTED_RESPONSE', retryable: true };
}

/** Builds a {@link TicketError} whose message is scrubbed of every configured secret. */
export function ticketError(
  ctx: ErrorContext,
  init: Omit<ConstructorParameters<typeof TicketError>[0], 'message'> & { message: string },
): TicketError {
  return new TicketError({ ...init, message: scrubSecrets(init.message, ctx.secrets) });
}

/**
 * The error for a non-2xx answer, decided by the status alone (never by message text):
 * 401/403 retryable, 404/410 and other 4xx permanent, 408/429/5xx retryable with
 * `retryAfterMs` from `Retry-After`, anything else (1xx, 3xx) an unexpected answer.
 * `remoteText` is the remote's own explanation, already extracted from its error envelope.
 */
export function errorForStatus(answer: HttpAnswer, remoteText: string | undefined, ctx: ErrorContext): TicketError {
  const rule = ruleFor(answer.status);
  const retryAfterMs = rule.retryable ? parseRetryAfter(answer.headers['retry-after'], ctx.nowMs) : undefined;
  const explanation = remoteText?.trim() ? `: ${clip(remoteText.trim(), ctx.secrets)}` : describeBody(answer);
  return ticketError(ctx, {
    code: rule.code,
    retryable: rule.retryable,
    httpStatus: answer.status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    message: `${ctx.system} answered HTTP ${answer.status}${explanation}`,
  });
}

/** A 2xx answer that is not the JSON the API documents: a proxy, a login page or a wrong instance. */
export function unexpectedResponse(status: number, detail: string, ctx: ErrorContext): TicketError {
  return ticketError(ctx, {
    code: 'UNEXPECTED_RESPONSE',
    retryable: true,
    httpStatus: status,
    message: `${ctx.system} answered HTTP ${status} with an unexpected response: ${clip(detail, ctx.secrets)}`,
  });
}

/**
 * A 2xx answer over {@link MAX_ANSWER_BYTES}: an unexpected response, retryable like the others (a proxy
 * or an overloaded remote may answer properly next time; the attempts are bounded). For a push it means
 * the outcome is unknown: the remote said yes to something, so the next attempt checks before creating.
 */
export function answerTooLarge(status: number, count: AnswerCount, ctx: ErrorContext): TicketError {
  const how = count === 'received' ? 'as received' : 'once decompressed';
  return unexpectedResponse(status, `an answer larger than ${answerLimitText()} ${how}; it was not read further`, ctx);
}

function answerLimitText(): string {
  return MAX_ANSWER_BYTES % MIB === 0 ? `${MAX_ANSWER_BYTES / MIB} MiB` : `${MAX_ANSWER_BYTES} bytes`;
}

const MIB = 1024 * 1024;

function describeBody(answer: HttpAnswer): string {
  if (answer.bodyTooLarge) return ` (a body larger than ${answerLimitText()}, not read)`;
  if (answer.body.trim() === '') return '';
  const type = answer.headers['content-type'];
  const kind = typeof type === 'string' ? type.split(';')[0]?.trim().toLowerCase() : undefined;
  // Only a well-formed media type is named: the header is the remote's text too.
  const named = kind && /^[a-z0-9][a-z0-9!#$&^_.+-]{0,40}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,60}$/.test(kind) ? kind : 'non-JSON';
  return ` (a ${named} body without an error message)`;
}
