import type { FollowedTicket } from '@rhx/tickets';
import { riskLevelOf, type Incident, type RiskLevel } from '@rhx/domain';
import { SNOW_PRIORITIES } from '../servicenow/servicenow.priority.js';
import { renderEnrichedDescription, ticketSummary } from '@rhx/tickets';
import type { TicketReference, TicketStatus } from '../ticket-adapter.js';
import type { ProactiveConfig } from './proactive.config.js';
import type { ProactiveCase, ProactiveCreated } from './proactive.schemas.js';

/** `shortDescription` limit of the spec. */
export const PROACTIVE_SHORT_DESCRIPTION_MAX = 160;
/** `description` and `workNote` limit of the spec; longer is refused with `FIELD_TOO_LONG`. */
export const PROACTIVE_TEXT_MAX = 32_000;
/** Statuses after which a case is done, both spellings of Cancelled included. */
export const PROACTIVE_CLOSED_STATUSES: readonly string[] = ['Resolved', 'Closed', 'Cancelled', 'Canceled'];
/** What every case this bridge makes is filed under. */
export const PROACTIVE_CATEGORY = 'Security Incident';

/** What `POST /cases` sends (specs/proactive-case-api.md §1). */
export interface ProactiveCreateBody {
  table: string;
  serviceIdentifier: string;
  externalId: string;
  priority: string;
  shortDescription: string;
  description: string;
  category: typeof PROACTIVE_CATEGORY;
  deepLink?: string;
}

/** `"1"` Critical, `"2"` High, `"3"` Moderate, `"4"` Low. */
export function proactivePriority(level: RiskLevel): string {
  return SNOW_PRIORITIES[level].priority;
}

/** The priority people see: `1 - Critical` … `4 - Low`. */
export function proactivePriorityLabel(level: RiskLevel): string {
  const { priority, label } = SNOW_PRIORITIES[level];
  return `${priority} - ${label}`;
}

/** At most `max` UTF-16 code units, ending with "…" when cut, never splitting a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * The case description: the enriched body of the spec (its sections in order, recommended actions,
 * the deep link), plain text within {@link PROACTIVE_TEXT_MAX}, saying what was left out when it is cut.
 */
export function caseDescription(incident: Incident, options: { deepLinkBaseUrl?: string; followsUp?: FollowedTicket } = {}): string {
  const render = { ...(options.deepLinkBaseUrl ? { deepLinkBaseUrl: options.deepLinkBaseUrl } : {}), ...(options.followsUp ? { followsUp: options.followsUp } : {}) };
  return renderEnrichedDescription(incident, render, PROACTIVE_TEXT_MAX);
}

/** `${RHYTHMX_BASE_URL}/incidents/<id>`; the id is already checked against the incident id pattern. */
export function caseDeepLink(baseUrl: string, incidentId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/incidents/${incidentId}`;
}

/**
 * The case's `externalId` (1–64 characters): the incident id, or for a later ticket generation the id with
 * `:g2`…, kept whole when the id must be cut, so a look-up never adopts the earlier generation's case.
 */
export function proactiveExternalId(incidentId: string, generation = 1): string {
  const suffix = generation > 1 ? `:g${generation}` : '';
  return incidentId.slice(0, 64 - suffix.length) + suffix;
}

/** The create body: the incident id is the case's `externalId`, which {@link proactiveFindQuery} looks up. */
export function proactiveCreateBody(
  incident: Incident,
  config: Pick<ProactiveConfig, 'table' | 'serviceIdentifier'>,
  options: { deepLinkBaseUrl?: string; generation?: number; followsUp?: FollowedTicket } = {},
): ProactiveCreateBody {
  return {
    table: config.table,
    serviceIdentifier: config.serviceIdentifier,
    externalId: proactiveExternalId(incident.id, options.generation),
    priority: proactivePriority(riskLevelOf(incident)),
    shortDescription: ticketSummary(incident, PROACTIVE_SHORT_DESCRIPTION_MAX),
    description: caseDescription(incident, options),
    category: PROACTIVE_CATEGORY,
    ...(options.deepLinkBaseUrl ? { deepLink: caseDeepLink(options.deepLinkBaseUrl, incident.id) } : {}),
  };
}

/** `GET /cases?externalId=…`. */
export function proactiveFindQuery(incidentId: string, generation = 1): Record<string, string> {
  return { externalId: proactiveExternalId(incidentId, generation) };
}

/** `POST /cases/{caseNumber}/updates`: a work note, plus the priority when the level changed. */
export function proactiveUpdateBody(note: string, level?: RiskLevel): { workNote: string; priority?: string } {
  return { workNote: cutText(note, PROACTIVE_TEXT_MAX), ...(level ? { priority: proactivePriority(level) } : {}) };
}

/**
 * The reference of a case: people and calls both use the case number. The link is the provider's
 * own case URL; read and find answers need not carry one, so without it the case's API address stands in.
 */
export function proactiveReference(baseUrl: string, found: ProactiveCreated | ProactiveCase): TicketReference {
  return {
    system: 'servicenow',
    externalId: found.caseNumber,
    remoteId: found.caseNumber,
    url: found.url ?? `${baseUrl}/cases/${encodeURIComponent(found.caseNumber)}`,
  };
}

/** A case's status with its current priority, when the provider said. */
export interface ProactiveTicketStatus extends TicketStatus {
  priority?: string;
}

/** Open unless Resolved, Closed or Cancelled (either spelling). */
export function proactiveStatus(found: ProactiveCase): ProactiveTicketStatus {
  return {
    state: found.ticketStatus,
    open: !PROACTIVE_CLOSED_STATUSES.includes(found.ticketStatus),
    ...(found.priority ? { priority: found.priority } : {}),
  };
}
