import { INCIDENT_ID_PATTERN } from '@rhx/domain';
import { TicketError } from './ticket-error.js';

/**
 * The incident id, once checked against the domain pattern: ids are spliced into JQL and
 * ServiceNow encoded queries, so anything outside `[A-Za-z0-9._:-]` is refused, permanently.
 */
export function checkedIncidentId(incidentId: string): string {
  if (INCIDENT_ID_PATTERN.test(incidentId)) return incidentId;
  throw new TicketError({
    code: 'INVALID_REQUEST',
    retryable: false,
    message: 'incident id must be 1–64 characters of A-Z a-z 0-9 . _ : -',
  });
}
