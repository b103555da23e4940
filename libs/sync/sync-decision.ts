import type { TicketStatus } from '@rhx/adapters';
import { mapTicketStatus, type MappedStatus, type SyncMode } from './status-mapping.js';

/** Longest remote state kept (`ticket_refs.remote_state`, `incidents.snow_ticket_state` are VARCHAR(50)). */
const STATE_CHARS = 50;

/** What one successful read means for the database. */
export type PollDecision =
  /** Nothing new: only the poll is stamped; `baseline` is the first state ever seen, recorded silently. */
  | { kind: 'stamp'; baseline?: { state: string; label: string } }
  /** A real change: written with its history row. */
  | { kind: 'change'; state: string; mapped: MappedStatus; oldLabel: string | null };

/**
 * Pure: the read status against the state recorded at the last poll. A real change is a new remote
 * state, or any terminal state (it closes the reference). The first state seen (nothing recorded yet)
 * is a baseline, not a change, unless it already moves the analyst status or ends the ticket: a ticket
 * created `New` and still `New` writes no history row.
 */
export function decidePoll(mode: SyncMode, recorded: string | null, status: TicketStatus): PollDecision {
  const mapped = mapTicketStatus(mode, status);
  const state = status.state.slice(0, STATE_CHARS);
  const label = mapped.label.slice(0, STATE_CHARS);
  if (mapped.open && recorded === state) return { kind: 'stamp' };
  if (mapped.open && recorded === null && mapped.analystStatus === undefined) return { kind: 'stamp', baseline: { state, label } };
  const oldLabel = recorded === null ? null : mapTicketStatus(mode, { state: recorded, open: true }).label;
  return { kind: 'change', state, mapped: { ...mapped, label }, oldLabel };
}
