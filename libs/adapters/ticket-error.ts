/** Stable codes for every way a call to a ticketing system can fail. */
export type TicketErrorCode =
  | 'NETWORK'
  | 'TIMEOUT'
  | 'RATE_LIMITED'
  | 'REMOTE_UNAVAILABLE'
  | 'AUTHENTICATION'
  | 'PERMISSION'
  | 'INVALID_REQUEST'
  | 'NOT_FOUND'
  | 'CONFIGURATION'
  | 'UNEXPECTED_RESPONSE';

/**
 * The one error every adapter throws. Classified once, at the adapter edge, from the HTTP status and
 * transport error code (never from message text); the worker decides retry or fail from `retryable`.
 * `message` holds the remote's own words and never a credential.
 */
export class TicketError extends Error {
  readonly code: TicketErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly httpStatus?: number;
  /** The remote's own error code when its answer names one (`INVALID_SERVICE_IDENTIFIER`); for people and logs. */
  readonly remoteCode?: string;

  constructor(init: {
    code: TicketErrorCode;
    message: string;
    retryable: boolean;
    retryAfterMs?: number;
    httpStatus?: number;
    remoteCode?: string;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.name = 'TicketError';
    this.code = init.code;
    this.retryable = init.retryable;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.remoteCode !== undefined) this.remoteCode = init.remoteCode;
  }
}
