import type { FollowedTicket } from '@rhx/tickets';
import { riskLevelOf, type Incident, type RiskLevel } from '@rhx/domain';
import { SNOW_PRIORITIES } from './servicenow.priority.js';
import { renderPlainText, ticketSummary } from '@rhx/tickets';
import type { TicketReference, TicketStatus } from '../ticket-adapter.js';
import type { ServiceNowIncident } from './servicenow.schemas.js';

/** Longest `short_description` the UI shows whole. */
export const SNOW_SHORT_DESCRIPTION_MAX = 160;
/** `correlation_id` column size. */
export const SNOW_CORRELATION_ID_MAX = 100;
/** Resolved, Closed, Canceled. */
export const SNOW_CLOSED_STATES: readonly string[] = ['6', '7', '8'];

/** What a ServiceNow create request sends to `POST /api/now/table/incident`. */
export interface ServiceNowCreateBody {
  short_description: string;
  description: string;
  impact: string;
  urgency: string;
  category: 'security';
  correlation_id: string;
  correlation_display: 'RhythmX';
  assignment_group?: string;
}

/** The correlation id that marks an incident record as this incident's (`rhythmx:INC-2026-0001`). */
export function serviceNowCorrelationId(incidentId: string, generation = 1): string {
  // A later generation's own key (`rhythmx:INC-2026-0001:g2`), kept whole when the id must be cut.
  const suffix = generation > 1 ? `:g${generation}` : '';
  return `rhythmx:${incidentId}`.slice(0, SNOW_CORRELATION_ID_MAX - suffix.length) + suffix;
}

/** Impact and urgency for a risk level: the instance computes priority from them. */
export function serviceNowImpactUrgency(level: RiskLevel): { impact: string; urgency: string } {
  const { impact, urgency } = SNOW_PRIORITIES[level];
  return { impact, urgency };
}

/** The priority people see for a risk level: `1 - Critical`, `2 - High`, `3 - Moderate`, `4 - Low`. */
export function serviceNowPriorityLabel(level: RiskLevel): string {
  const { priority, label } = SNOW_PRIORITIES[level];
  return `${priority} - ${label}`;
}

/** The create body; `assignmentGroupSysId` is the resolved sys_id, never the group name. */
export function serviceNowCreateBody(
  incident: Incident,
  options: { assignmentGroupSysId?: string; deepLinkBaseUrl?: string; generation?: number; followsUp?: FollowedTicket } = {},
): ServiceNowCreateBody {
  const render = { ...(options.deepLinkBaseUrl ? { deepLinkBaseUrl: options.deepLinkBaseUrl } : {}), ...(options.followsUp ? { followsUp: options.followsUp } : {}) };
  return {
    short_description: ticketSummary(incident, SNOW_SHORT_DESCRIPTION_MAX),
    description: renderPlainText(incident, render),
    ...serviceNowImpactUrgency(riskLevelOf(incident)),
    category: 'security',
    correlation_id: serviceNowCorrelationId(incident.id, options.generation),
    correlation_display: 'RhythmX',
    ...(options.assignmentGroupSysId ? { assignment_group: options.assignmentGroupSysId } : {}),
  };
}

/** The encoded query that finds this incident's record, newest first. */
export function serviceNowFindQuery(incidentId: string, generation = 1): string {
  return `correlation_id=${serviceNowCorrelationId(incidentId, generation)}^ORDERBYDESCsys_created_on`;
}

/** The journal column work notes are written to. */
export const SNOW_WORK_NOTES_ELEMENT = 'work_notes';

/** The encoded query that finds a work note holding `marker` on one incident record (`^` doubled: a literal caret). */
export function serviceNowWorkNoteQuery(sysId: string, marker: string): string {
  const literal = (value: string) => value.replaceAll('^', '^^');
  return `element_id=${literal(sysId)}^element=${SNOW_WORK_NOTES_ELEMENT}^valueLIKE${literal(marker)}`;
}

/**
 * Whether a journal row really is a work note of this record holding `marker`: the platform drops a
 * query term it does not understand and then answers any row, so what comes back is checked.
 */
export function isWorkNoteWithMarker(row: { element_id: string; element: string; value: string }, sysId: string, marker: string): boolean {
  return row.element_id === sysId && row.element === SNOW_WORK_NOTES_ELEMENT && row.value.toLowerCase().includes(marker.toLowerCase());
}

/** The `PATCH` body of an update: a work note, plus impact and urgency when the level changed. */
export function serviceNowUpdateBody(note: string, level?: RiskLevel): Record<string, string> {
  return { work_notes: note, ...(level ? serviceNowImpactUrgency(level) : {}) };
}

/** A ticket reference with the priority the instance computed (`1`…`5`), when it said. */
export interface ServiceNowTicketReference extends TicketReference {
  priority?: string;
}

/** The ticket reference of an incident record: people see the number, calls use the sys_id. */
export function serviceNowReference(baseUrl: string, record: ServiceNowIncident): ServiceNowTicketReference {
  return {
    system: 'servicenow',
    externalId: record.number,
    remoteId: record.sys_id,
    url: `${baseUrl}/nav_to.do?uri=incident.do?sys_id=${record.sys_id}`,
    ...(record.priority ? { priority: record.priority } : {}),
  };
}

/** A ticket status with the instance's current priority, when it said. */
export interface ServiceNowTicketStatus extends TicketStatus {
  priority?: string;
}

/** Open unless the state is Resolved (6), Closed (7) or Canceled (8). */
export function serviceNowStatus(record: ServiceNowIncident): ServiceNowTicketStatus {
  return {
    state: record.state,
    open: !SNOW_CLOSED_STATES.includes(record.state),
    ...(record.priority ? { priority: record.priority } : {}),
  };
}
