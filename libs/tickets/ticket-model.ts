import type { Incident } from '@rhx/domain';
import type { FollowedTicket } from './render-options.js';
import { formatCount } from './ticket-format.js';
import {
  activitySection,
  followsUpSection,
  actorSection,
  contextSection,
  linkSection,
  mitreSection,
  notesSection,
  riskSection,
  rulesSection,
  slaSection,
  timelineSection,
} from './ticket-sections.js';

/** The sections of a ticket, in the order they appear (PRODUCT §4). */
export type SectionId =
  | 'actor'
  | 'risk'
  | 'context'
  | 'activity'
  | 'timeline'
  | 'sla'
  | 'mitre'
  | 'rules'
  | 'notes'
  | 'link'
  | 'follows-up'
  | EnrichedSectionId;

/** The sections of the Proactive Case API's enriched description (specs/proactive-case-api.md), in order. */
export type EnrichedSectionId =
  | 'threat-summary'
  | 'threat-analysis'
  | 'overview'
  | 'blast-radius'
  | 'detected-threats'
  | 'sample-events'
  | 'risk-increment'
  | 'siem-triggers'
  | 'mitre-chain'
  | 'recommended-actions'
  | 'enriched-timeline'
  | 'deep-dive'
  // The risk-update work note of the same API.
  | 'risk-update';

export interface TicketField {
  label: string;
  value: string;
}

/**
 * One block of a section. Every string is visible text, already normalised (see
 * `text-normalise.ts`) and never empty; renderers only escape and lay it out.
 * `hidden` counts items of a list or table that are not shown; `omittedChars` counts the
 * characters cut from a text block. Both produce a visible note through {@link omissionNote}.
 */
export type TicketBlock =
  | { kind: 'fields'; fields: TicketField[] }
  | { kind: 'subheading'; text: string }
  | { kind: 'caption'; text: string }
  | { kind: 'list'; items: string[]; noun: string; hidden: number; style?: ListStyle }
  | { kind: 'table'; columns: string[]; rows: string[][]; noun: string; hidden: number }
  | { kind: 'text'; text: string; noun: string; omittedChars: number }
  | { kind: 'link'; label: string; href: string }
  | { kind: 'note'; text: string };

/**
 * How a plain-text layout shows a list: one bullet per item (the default), numbered steps, or
 * the items joined by commas and wrapped (names of hosts and users). Other renderers may ignore it.
 */
export type ListStyle = 'bullets' | 'numbered' | 'inline';

/** A titled section; never empty: a section without data is not built at all. */
export interface TicketSection {
  id: SectionId;
  title: string;
  blocks: TicketBlock[];
}

/** Everything a ticket description says, independent of the target system's format. */
export interface TicketModel {
  incidentId: string;
  sections: TicketSection[];
}

/**
 * Builds the ticket content of PRODUCT §4 from an incident: only sections with data, top 10 rules
 * by count (then "and N more"), every incident string normalised. Pure; no size limit applied yet
 * (each renderer fits the model to its own limit).
 */
export function buildTicketModel(incident: Incident, options: { deepLinkBaseUrl?: string; followsUp?: FollowedTicket } = {}): TicketModel {
  const sections = [
    followsUpSection(options.followsUp),
    actorSection(incident),
    riskSection(incident),
    contextSection(incident),
    activitySection(incident),
    timelineSection(incident),
    slaSection(incident),
    mitreSection(incident),
    rulesSection(incident),
    notesSection(incident),
    linkSection(incident, options.deepLinkBaseUrl),
  ].filter((section): section is TicketSection => section !== undefined);
  return { incidentId: incident.id, sections };
}

/** The visible note for what a block leaves out, or undefined when it shows everything. */
export function omissionNote(block: TicketBlock): string | undefined {
  if ((block.kind === 'list' || block.kind === 'table') && block.hidden > 0) {
    return `… and ${formatCount(block.hidden)} more ${block.noun} not shown`;
  }
  if (block.kind === 'text' && block.omittedChars > 0) {
    return `… ${block.noun} truncated: ${formatCount(block.omittedChars)} more characters not shown`;
  }
  return undefined;
}
