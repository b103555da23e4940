import { SYSTEMS, type SyncedAnalystStatus, type TicketStatus } from '@rhx/adapters';
import type { SettingsProfile } from '@rhx/domain';

/**
 * How a target system's ticket states are read: by the settings profile that made them (Jira, the
 * ServiceNow Table API, or the Proactive Case API whose cases are `servicenow` refs).
 */
export type SyncMode = SettingsProfile;
export type { SyncedAnalystStatus };

/** What a read ticket state means for the incident. */
export interface MappedStatus {
  /** The incident's new analyst status, or undefined: unchanged (only the ticket state is recorded). */
  analystStatus: SyncedAnalystStatus | undefined;
  /** False for a terminal state: the ticket is no longer polled. */
  open: boolean;
  /** The state as people read it (`In Progress` for ServiceNow state `2`): what `snow_ticket_state` holds. */
  label: string;
}

/**
 * A read ticket status → the incident's new analyst status (or unchanged) and whether to keep polling,
 * by the profile's descriptor. Pure. A state its table does not know leaves the analyst status alone;
 * the ticket stays polled unless the adapter itself says it is closed (`status.open` false always stops).
 */
export function mapTicketStatus(mode: SyncMode, status: TicketStatus): MappedStatus {
  const { sync } = SYSTEMS[mode];
  const meaning = sync.meaning(status);
  return { analystStatus: meaning?.analystStatus, open: (meaning?.open ?? true) && status.open, label: sync.label(status.state) };
}
