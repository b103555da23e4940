import type { TicketError } from '../ticket-error.js';
import { errorForStatus, jsonOrUndefined, transportError, type ErrorContext, type HttpAnswer } from '../http/index.js';
import { jiraErrorEnvelopeSchema } from './jira.schemas.js';

/**
 * Jira's own words from an error body: every `errorMessages` entry, then `field: message` for each
 * entry of `errors` (`summary: Summary must be less than 255 characters.`). `undefined` when the
 * body is not Jira's JSON envelope (an HTML error page from a proxy, an empty 401).
 */
export function jiraRemoteText(body: string): string | undefined {
  const parsed = jiraErrorEnvelopeSchema.safeParse(jsonOrUndefined(body));
  if (!parsed.success) return undefined;
  const { errorMessages = [], errors = {} } = parsed.data;
  const fieldMessages = Object.entries(errors)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([field, text]) => `${field}: ${text}`);
  const all = [...errorMessages, ...fieldMessages].filter((t) => t.trim() !== '');
  return all.length > 0 ? all.join('; ') : undefined;
}

/**
 * A non-2xx Jira answer → {@link TicketError}, by status only: 400/422 INVALID_REQUEST, 404 and
 * 410 (the removed `/rest/api/3/search`) NOT_FOUND, all permanent; 401/403/408/429/5xx retryable,
 * with `retryAfterMs` from `Retry-After` (seconds or HTTP-date).
 */
export function jiraResponseError(answer: HttpAnswer, ctx: ErrorContext): TicketError {
  return errorForStatus(answer, jiraRemoteText(answer.body), ctx);
}

/** A Jira request that got no answer (timeout, reset, refused, DNS) → retryable {@link TicketError}. */
export function jiraTransportError(error: unknown, ctx: ErrorContext): TicketError {
  return transportError(error, ctx);
}
