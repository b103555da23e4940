import { TicketError } from '../ticket-error.js';
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
  const error = errorForStatus(answer, serviceNowRemoteText(answer.body), ctx);
  // A data policy's refusal carries no code, only its text (specs/servicenow-table-api.md): the one failure
  // recognised by text. It is the instance's configuration (a mandatory field without a rule), so it is
  // permanent, with the remote's list of fields, never a retry loop like other 403s.
  if (answer.status >= 400 && answer.status < 500 && dataPolicyDetail(answer.body)) {
    return new TicketError({ code: 'CONFIGURATION', retryable: false, httpStatus: answer.status, message: `${error.message} (add a field rule for each field it names)`, cause: error });
  }
  return error;
}

function dataPolicyDetail(body: string): boolean {
  const parsed = serviceNowErrorEnvelopeSchema.safeParse(jsonOrUndefined(body));
  return parsed.success && /^\s*Data Policy Exception/i.test(parsed.data.error.detail ?? '');
}

/** A ServiceNow request that got no answer (timeout, reset, refused, DNS) → retryable {@link TicketError}. */
export function serviceNowTransportError(error: unknown, ctx: ErrorContext): TicketError {
  return transportError(error, ctx);
}
