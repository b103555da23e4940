import type { FollowedTicket } from '@rhx/tickets';
import { riskLevelOf, type Incident, type RiskLevel } from '@rhx/domain';
import { JIRA_PRIORITIES, type JiraPriority } from './jira.priority.js';
import { renderJiraAdf, renderJiraWiki, ticketSummary, wikiEscape, wikiUnescape, type AdfDoc } from '@rhx/tickets';
import type { TicketReference, TicketStatus } from '../ticket-adapter.js';
import type { JiraConfig } from './jira.config.js';
import type { JiraAdfNode } from './jira.schemas.js';

/** Jira's summary limit. */
export const JIRA_SUMMARY_MAX = 255;

/** What a Jira create request sends: the fields of `POST issue`. */
export interface JiraCreateBody {
  fields: {
    project: { key: string };
    issuetype: { name: string };
    summary: string;
    description: AdfDoc | string;
    priority: { name: JiraPriority };
    labels: string[];
  };
}

/**
 * The label that marks a ticket as this incident's (`rhythmx-INC-2026-0001`; a later generation's
 * `rhythmx-INC-2026-0001-g2`); ids never hold spaces, and JQL's `labels =` matches a label exactly.
 */
export function jiraIncidentLabel(incidentId: string, generation = 1): string {
  return `rhythmx-${incidentId}${generation > 1 ? `-g${generation}` : ''}`;
}

/** Jira priority name for a risk level (CRITICAL → Highest, HIGH → High, MEDIUM → Medium, LOW → Low). */
export function jiraPriorityName(level: RiskLevel): JiraPriority {
  return JIRA_PRIORITIES[level];
}

/** The `POST issue` body: ADF description on Cloud (v3), a wiki-markup string on Server (v2). */
export function jiraCreateBody(
  incident: Incident,
  config: Pick<JiraConfig, 'deployment' | 'projectKey' | 'issueType'>,
  render: { deepLinkBaseUrl?: string; followsUp?: FollowedTicket } = {},
  generation = 1,
): JiraCreateBody {
  const options = { ...(render.deepLinkBaseUrl ? { deepLinkBaseUrl: render.deepLinkBaseUrl } : {}), ...(render.followsUp ? { followsUp: render.followsUp } : {}) };
  const description = config.deployment === 'cloud' ? renderJiraAdf(incident, options) : renderJiraWiki(incident, options);
  return {
    fields: {
      project: { key: config.projectKey },
      issuetype: { name: config.issueType },
      summary: ticketSummary(incident, JIRA_SUMMARY_MAX),
      description,
      priority: { name: jiraPriorityName(riskLevelOf(incident)) },
      labels: ['rhythmx', jiraIncidentLabel(incident.id, generation)],
    },
  };
}

/** JQL that finds this incident's ticket in the project by its label. */
export function jiraSearchJql(projectKey: string, incidentId: string, generation = 1): string {
  return `project = ${projectKey} AND labels = "${jiraIncidentLabel(incidentId, generation)}"`;
}

/** The search body: Cloud's `search/jql` takes no `startAt`; Server's `search` pages with it. */
export function jiraSearchBody(deployment: JiraConfig['deployment'], projectKey: string, incidentId: string, generation = 1): Record<string, unknown> {
  const body = { jql: jiraSearchJql(projectKey, incidentId, generation), fields: ['key', 'status', 'labels'], maxResults: 1 };
  return deployment === 'cloud' ? body : { ...body, startAt: 0 };
}

/** A plain-text note as ADF: one paragraph per non-blank line (ADF forbids empty text nodes). */
export function noteToAdf(note: string): AdfDoc {
  const lines = note.split(/\r?\n/).filter((line) => line.trim() !== '');
  const paragraphs = (lines.length > 0 ? lines : ['(empty update)']).map((text) => ({
    type: 'paragraph' as const,
    content: [{ type: 'text' as const, text }],
  }));
  return { type: 'doc', version: 1, content: paragraphs };
}

/** A plain-text note as wiki markup that renders as exactly that text (the ticket library's escaping). */
export function noteToWiki(note: string): string {
  return wikiEscape(note);
}

/** The ticket reference of a Jira issue; people follow `<base>/browse/<KEY>`, not the API `self`. */
export function jiraReference(baseUrl: string, issue: { id: string; key: string }): TicketReference {
  return { system: 'jira', externalId: issue.key, remoteId: issue.id, url: `${baseUrl}/browse/${issue.key}` };
}

/** Open unless the status category is `done`; names are never looked at (they differ per workflow). */
export function jiraStatus(status: { name: string; statusCategory: { key: string } }): TicketStatus {
  return { state: status.name, open: status.statusCategory.key !== 'done', category: status.statusCategory.key };
}

/**
 * The text people read in an ADF comment body: text nodes of one paragraph or heading joined as they
 * are (a marker split by marks into several text nodes is whole again), blocks on their own lines.
 */
function adfCommentText(node: JiraAdfNode): string {
  if (node.text !== undefined) return node.text;
  const inline = node.type === 'paragraph' || node.type === 'heading';
  return (node.content ?? []).map(adfCommentText).join(inline ? '' : '\n');
}

/**
 * Whether a comment body holds `marker` as text: ADF (v3) through its text nodes; wiki markup (v2)
 * as sent, or as shown once the escaping `noteToWiki` adds (`rhythmx\-update\-…`) is undone.
 */
export function jiraCommentHasMarker(body: JiraAdfNode | string, marker: string): boolean {
  if (typeof body !== 'string') return adfCommentText(body).includes(marker);
  return body.includes(marker) || wikiUnescape(body).includes(marker);
}
