import type { TicketError } from '../ticket-error.js';
import { errorForStatus, jsonOrUndefined, transportError, type ErrorContext, type HttpAnswer } from '../http/index.js';
import { serviceNowErrorEnvelopeSchema } from './servicenow.schemas.js';

/**
 * ServiceNow's own words from an error body: `error.message` and `error.detail`
 * (`No Record found: Record doesn't exist or ACL restricts the record retrieval`); `undefined`
 * when the body is not its JSON envelope.
 */
export function serviceNowRemoteText(body: string): string | undefined {
  const parsed = serviceNowErrorEnvelopeSchema.safeParse(jsonOrUndefined(body));
  if (!parsed.success) return undefined;
  const parts = [parsed.data.error.message, parsed.data.error.detail].filter((t): t is string => !!t && t.trim() !== '');
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/**
 * A non-2xx ServiceNow answer → {@link TicketError}, by status only: 400/422 INVALID_REQUEST and
 * 404 NOT_FOUND permanent; 401/403/408/429/5xx retryable with `retryAfterMs` from `Retry-After`.
 */
export function serviceNowResponseError(answer: HttpAnswer, ctx: ErrorContext): TicketError {
  return errorForStatus(answer, serviceNowRemoteText(answer.body), ctx);
}

/** A ServiceNow request that got no answer (timeout, reset, refused, DNS) → retryable {@link TicketError}. */
export function serviceNowTransportError(error: unknown, ctx: ErrorContext): TicketError {
  return transportError(error, ctx);
}
