import { TicketError } from './ticket-error.js';

/**
 * What a marker that `TicketAdapter.findUpdate` looks for may hold: the bridge's
 * `rhythmx-update-<deliveryId>` and any other word of the same characters. Markers are spliced into
 * remote queries (a ServiceNow encoded query), so separators such as `^`, spaces and quotes are out.
 */
export const UPDATE_MARKER_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

/** The marker, once checked against {@link UPDATE_MARKER_PATTERN}; anything else is refused, permanently. */
export function checkedUpdateMarker(marker: string): string {
  if (UPDATE_MARKER_PATTERN.test(marker)) return marker;
  throw new TicketError({
    code: 'INVALID_REQUEST',
    retryable: false,
    message: 'update marker must be 1–100 characters of A-Z a-z 0-9 . _ : -',
  });
}
