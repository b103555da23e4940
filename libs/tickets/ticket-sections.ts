import { INCIDENT_ID_PATTERN, riskLevelOf, severityFromScore, type Incident } from '@rhx/domain';
import type { FollowedTicket } from './render-options.js';
import type { TicketBlock, TicketField, TicketSection } from './ticket-model.js';
import {
  formatCount,
  formatDateTime,
  formatDuration,
  formatFraction,
  formatPercent,
  formatSlaStatus,
  formatTrend,
  minutesBetween,
} from './ticket-format.js';
import { cutToLength, MAX_INLINE_CHARS, normaliseInline, normaliseMultiline } from './text-normalise.js';

/**
 * One builder per ticket section (PRODUCT §4). Each returns undefined when the incident has no data
 * for its section, so no renderer ever shows an empty heading; every incident string passes
 * through `inline` (normalised, capped at MAX_INLINE_CHARS, blank treated as absent).
 */

/** Rules listed by name; the rest are counted ("and N more"), as PRODUCT §4 asks. */
export const TOP_RULES = 10;
const MISSING = '—';

/** An incident string as one visible line, or undefined when it is absent or blank. */
export function inline(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = cutToLength(normaliseInline(text), MAX_INLINE_CHARS);
  return line.trim() === '' ? undefined : line;
}

/** A table cell: never empty, so every renderer has text to put in it. */
export function cell(text: string | undefined): string {
  return inline(text) ?? MISSING;
}

/** A fields block of the pairs that have a value, or undefined when none has. */
export function fields(pairs: ReadonlyArray<readonly [string, string | undefined]>): TicketBlock | undefined {
  const present: TicketField[] = [];
  for (const [label, value] of pairs) if (value !== undefined) present.push({ label, value });
  return present.length > 0 ? { kind: 'fields', fields: present } : undefined;
}

/** A section of the blocks that exist, or undefined when none does (so no heading is ever empty). */
export function section(id: TicketSection['id'], title: string, blocks: Array<TicketBlock | undefined>): TicketSection | undefined {
  const present = blocks.filter((block): block is TicketBlock => block !== undefined);
  return present.length > 0 ? { id, title, blocks: present } : undefined;
}

export function actorSection(incident: Incident): TicketSection | undefined {
  const { actor } = incident;
  return section('actor', 'Actor', [
    fields([
      ['Name', inline(actor.name) ?? MISSING],
      ['Type', actor.type],
      ['Entity', inline(actor.entity)],
    ]),
  ]);
}

export function riskSection(incident: Incident): TicketSection | undefined {
  const { risk } = incident;
  const summary = fields([
    ['Score', `${risk.score} / 100`],
    ['Level', riskLevelOf(incident)],
    ['Severity', severityFromScore(risk.score)],
    ['Trend', risk.previousScore === undefined ? undefined : formatTrend(risk.previousScore, risk.score)],
    ['Confidence', risk.confidence === undefined ? undefined : formatFraction(risk.confidence)],
    ['Primary driver', inline(risk.primaryDriver)],
  ]);
  const factors = risk.factors ?? [];
  if (factors.length === 0) return section('risk', 'Risk', [summary]);
  const rows = factors.map((f) => [cell(f.name), String(f.score), f.weight === undefined ? MISSING : formatFraction(f.weight)]);
  return section('risk', 'Risk', [
    summary,
    { kind: 'subheading', text: 'Risk factors' },
    { kind: 'table', columns: ['Factor', 'Score', 'Weight'], rows, noun: 'factors', hidden: 0 },
  ]);
}

export function contextSection(incident: Incident): TicketSection | undefined {
  return section('context', 'Attack context', [
    fields([
      ['Attack pattern', inline(incident.attackPattern)],
      ['System state', inline(incident.systemState)],
      ['Campaign', inline(incident.campaignId)],
    ]),
  ]);
}

export function activitySection(incident: Incident): TicketSection | undefined {
  const { activity } = incident;
  if (activity === undefined) return undefined;
  return section('activity', 'Activity', [
    fields([
      ['Total alarms', formatCount(activity.totalAlarms)],
      ['Threat cases', formatCount(activity.threatCases)],
      ['Unique rules', formatCount(activity.uniqueRules)],
      ['Primary rule', inline(activity.primaryRule)],
    ]),
  ]);
}

export function timelineSection(incident: Incident): TicketSection | undefined {
  const { timeline } = incident;
  if (timeline === undefined) return undefined;
  return section('timeline', 'Timeline', [
    fields([
      ['First alert', formatDateTime(timeline.firstAlertAt)],
      ['Last alert', formatDateTime(timeline.lastAlertAt)],
      ['Escalated', timeline.escalatedAt === undefined ? undefined : formatDateTime(timeline.escalatedAt)],
      ['Active duration', formatDuration(minutesBetween(timeline.firstAlertAt, timeline.lastAlertAt))],
    ]),
  ]);
}

export function slaSection(incident: Incident): TicketSection | undefined {
  const { sla } = incident;
  if (sla === undefined) return undefined;
  return section('sla', 'SLA', [
    fields([
      ['Target', formatDuration(sla.targetMinutes)],
      ['Status', formatSlaStatus(sla.status)],
      ['Consumed', formatPercent(sla.consumedPercent)],
    ]),
  ]);
}

export function mitreSection(incident: Incident): TicketSection | undefined {
  const tactics = (incident.mitre?.tactics ?? []).map((t) => `${t.id} ${cell(t.name)}`);
  const techniques = (incident.mitre?.techniques ?? []).map((t) => `${t.id} ${cell(t.name)}`);
  const blocks: TicketBlock[] = [];
  if (tactics.length > 0) {
    blocks.push({ kind: 'caption', text: 'Tactics' }, { kind: 'list', items: tactics, noun: 'tactics', hidden: 0 });
  }
  if (techniques.length > 0) {
    blocks.push({ kind: 'caption', text: 'Techniques' }, { kind: 'list', items: techniques, noun: 'techniques', hidden: 0 });
  }
  return section('mitre', 'MITRE ATT&CK', blocks);
}

export function rulesSection(incident: Incident): TicketSection | undefined {
  const rules = incident.rules ?? [];
  if (rules.length === 0) return undefined;
  // Sort a copy by count, ties kept in incident order (Array.prototype.sort is stable).
  const top = [...rules].sort((a, b) => b.count - a.count).slice(0, TOP_RULES);
  const rows = top.map((r) => [
    cell(r.name),
    r.severity,
    formatCount(r.count),
    r.firstSeenAt === undefined ? MISSING : formatDateTime(r.firstSeenAt),
    r.lastSeenAt === undefined ? MISSING : formatDateTime(r.lastSeenAt),
  ]);
  const columns = ['Rule', 'Severity', 'Count', 'First seen', 'Last seen'];
  return section('rules', 'Top rules', [{ kind: 'table', columns, rows, noun: 'rules', hidden: rules.length - top.length }]);
}

export function notesSection(incident: Incident): TicketSection | undefined {
  if (incident.notes === undefined) return undefined;
  const text = normaliseMultiline(incident.notes);
  if (text.trim() === '') return undefined;
  return section('notes', 'Investigation notes', [{ kind: 'text', text, noun: 'notes', omittedChars: 0 }]);
}

/** `<base>/incidents/<id>` for an http(s) base URL; anything else (or credentials in it) is refused. */
export function deepLink(baseUrl: string | undefined, incidentId: string): string | undefined {
  if (baseUrl === undefined || baseUrl.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // origin + path drops any user:password@, query and fragment a misconfigured base might carry.
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  const id = INCIDENT_ID_PATTERN.test(incidentId) ? incidentId : encodeURIComponent(incidentId);
  return `${base}/incidents/${id}`;
}

/**
 * On a follow-up ticket, first: the ticket it follows, which the remote keeps closed for good (only an
 * http(s) link is made; anything else is named without one).
 */
export function followsUpSection(followed: FollowedTicket | undefined): TicketSection | undefined {
  if (!followed) return undefined;
  const href = /^https?:\/\//i.test(followed.url) ? followed.url : undefined;
  return section('follows-up', 'Follow-up ticket', [
    fields([['Follows', cell(`${followed.externalId}, closed before the incident's risk rose again`)]]),
    href ? { kind: 'link', label: `Open ${followed.externalId}`, href } : undefined,
  ]);
}

export function linkSection(incident: Incident, baseUrl: string | undefined): TicketSection | undefined {
  const href = deepLink(baseUrl, incident.id);
  if (href === undefined) return undefined;
  return section('link', 'RhythmX', [
    fields([['Incident', cell(incident.id)]]),
    { kind: 'link', label: 'Open in RhythmX', href },
  ]);
}
