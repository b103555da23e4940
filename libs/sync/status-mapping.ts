import type { TicketStatus } from '@rhx/adapters';
import type { TargetSystem } from '@rhx/domain';

/**
 * How a target system's ticket states are read: Jira, ServiceNow through the Table API, or ServiceNow
 * through the MSSP's Proactive Case API (`TICKET_INTEGRATION=proactive`, whose cases are `servicenow` refs).
 */
export type SyncMode = 'jira' | 'servicenow' | 'proactive';

/** The analyst statuses the sync cycle may set; every other status is RhythmX's own. */
export type SyncedAnalystStatus = 'IN_PROGRESS' | 'CLOSED' | 'FALSE_POSITIVE';

/** What a read ticket state means for the incident. */
export interface MappedStatus {
  /** The incident's new analyst status, or undefined: unchanged (only the ticket state is recorded). */
  analystStatus: SyncedAnalystStatus | undefined;
  /** False for a terminal state: the ticket is no longer polled. */
  open: boolean;
  /** The state as people read it (`In Progress` for ServiceNow state `2`): what `snow_ticket_state` holds. */
  label: string;
}

/** The mode a system's tickets are synced in. */
export function syncModeOf(system: TargetSystem, integration: 'standard' | 'proactive'): SyncMode {
  if (system === 'jira') return 'jira';
  return integration === 'proactive' ? 'proactive' : 'servicenow';
}

/** Where a mode's history rows say the change came from (`incident_history.source`). */
export const SYNC_SOURCES: Readonly<Record<SyncMode, string>> = {
  jira: 'jira-sync',
  servicenow: 'servicenow-sync',
  proactive: 'proactive-snow-sync',
};

/** ServiceNow incident states (Table API `state`) and their labels. */
export const SNOW_STATE_LABELS: Readonly<Record<string, string>> = {
  '1': 'New',
  '2': 'In Progress',
  '3': 'On Hold',
  '6': 'Resolved',
  '7': 'Closed',
  '8': 'Canceled',
};

const SNOW_TABLE: Readonly<Record<string, { analystStatus: SyncedAnalystStatus; open: boolean }>> = {
  '2': { analystStatus: 'IN_PROGRESS', open: true },
  '6': { analystStatus: 'CLOSED', open: false },
  '7': { analystStatus: 'CLOSED', open: false },
  '8': { analystStatus: 'FALSE_POSITIVE', open: false },
};

// The Proactive spec's ticketStatus values, compared case- and space-insensitively: older cases say
// `Work In Progress` and `Canceled`. New, Pending and Suspended leave the analyst status alone.
const PROACTIVE: Readonly<Record<string, { analystStatus: SyncedAnalystStatus | undefined; open: boolean }>> = {
  'new': { analystStatus: undefined, open: true },
  'pending': { analystStatus: undefined, open: true },
  'suspended': { analystStatus: undefined, open: true },
  'work in progress': { analystStatus: 'IN_PROGRESS', open: true },
  'resolved': { analystStatus: 'CLOSED', open: false },
  'closed': { analystStatus: 'CLOSED', open: false },
  'cancelled': { analystStatus: 'FALSE_POSITIVE', open: false },
  'canceled': { analystStatus: 'FALSE_POSITIVE', open: false },
};

// Jira: the status category, never the name (names differ per workflow). `indeterminate` is Jira's
// "someone is working on it", the same as ServiceNow's In Progress, so it maps to IN_PROGRESS.
const JIRA: Readonly<Record<string, { analystStatus: SyncedAnalystStatus | undefined; open: boolean }>> = {
  new: { analystStatus: undefined, open: true },
  indeterminate: { analystStatus: 'IN_PROGRESS', open: true },
  done: { analystStatus: 'CLOSED', open: false },
};

/**
 * A read ticket status → the incident's new analyst status (or unchanged) and whether to keep polling.
 * Pure. A state the table does not know leaves the analyst status alone; the ticket stays polled
 * unless the adapter itself says it is closed (`status.open` false always stops polling).
 */
export function mapTicketStatus(mode: SyncMode, status: TicketStatus): MappedStatus {
  const row = lookUp(mode, status);
  const analystStatus = row?.analystStatus ?? (mode === 'jira' && !status.category && !status.open ? 'CLOSED' : undefined);
  return {
    analystStatus,
    open: (row?.open ?? true) && status.open,
    label: mode === 'servicenow' ? (SNOW_STATE_LABELS[status.state] ?? status.state) : status.state,
  };
}

function lookUp(mode: SyncMode, status: TicketStatus) {
  if (mode === 'servicenow') return SNOW_TABLE[status.state.trim()];
  if (mode === 'jira') return status.category === undefined ? undefined : JIRA[status.category];
  return PROACTIVE[status.state.trim().toLowerCase().replace(/\s+/g, ' ')];
}
