import { riskLevelOf, type Incident } from '@rhx/domain';
import { ENTERPRISE_TACTICS, type ObservedTactic } from './attack-tactics.js';
import { formatCount, formatDateTime, formatFraction, formatScoreWithTrend } from './ticket-format.js';
import type { TicketBlock, TicketSection } from './ticket-model.js';
import { cell, deepLink, fields, inline, section } from './ticket-sections.js';
import { normaliseMultiline } from './text-normalise.js';

/**
 * The framing sections of the enriched description (specs/proactive-case-api.md): Threat Summary,
 * Threat Analysis, Incident Overview, Blast Radius, Timeline and Deep Dive. Each returns undefined
 * when the incident has no data for it; every incident string is normalised (`inline`).
 */

/** Nouns of the blocks the budget may cut, as the "… N more <noun> not shown" note names them. */
export const NOTES_NOUN = 'analyst notes';

const ENTERPRISE_IDS = new Set<string>(ENTERPRISE_TACTICS.map((t) => t.id));

/** A host or user name worth listing: normalised, and not a placeholder such as `-`. */
export function listedName(text: string): string | undefined {
  const line = inline(text);
  return line === undefined || /^[\s\-–—]*$/.test(line) ? undefined : line;
}

function distinctNames(names: readonly string[] | undefined): string[] {
  const seen = new Set<string>();
  for (const name of names ?? []) {
    const shown = listedName(name);
    if (shown !== undefined) seen.add(shown);
  }
  return [...seen];
}

function actorPhrase(incident: Incident): string {
  const entity = inline(incident.actor.entity);
  return `${incident.actor.type} ${cell(incident.actor.name)}${entity === undefined ? '' : ` of ${entity}`}`;
}

function attackType(incident: Incident, tactics: readonly ObservedTactic[]): string | undefined {
  const furthest = tactics[tactics.length - 1];
  if (furthest !== undefined) {
    const stages = tactics.length >= 3 ? 'multi-stage' : tactics.length === 2 ? 'two-stage' : 'single-stage';
    return `${stages} attack that has reached ${furthest.name} (${furthest.id})`;
  }
  const pattern = inline(incident.attackPattern);
  if (pattern !== undefined) return pattern;
  const rules = incident.rules ?? [];
  const top = [...rules].sort((a, b) => b.count - a.count)[0];
  return top === undefined ? undefined : `detections of ${formatCount(rules.length)} Sigma rules, led by ${cell(top.name)}`;
}

/** `91 / 100, up from 74 (↑ +17)`, `62 / 100, down from 80 (↓ −18)`, `50 / 100, unchanged (→)`. */
function scoreChange(score: number, previous: number | undefined): string {
  const now = `${score} / 100`;
  if (previous === undefined) return now;
  if (score > previous) return `${now}, up from ${previous} (↑ +${score - previous})`;
  if (score < previous) return `${now}, down from ${previous} (↓ −${previous - score})`;
  return `${now}, unchanged (→)`;
}

/** One paragraph: level and actor, attack type (with its primary driver), MITRE coverage. */
export function threatSummarySection(incident: Incident, tactics: readonly ObservedTactic[]): TicketSection | undefined {
  const { risk } = incident;
  const sentences = [`${riskLevelOf(incident)} risk incident ${incident.id} on ${actorPhrase(incident)}: risk score ${scoreChange(risk.score, risk.previousScore)}.`];
  const type = attackType(incident, tactics);
  const driver = inline(risk.primaryDriver);
  if (type !== undefined) sentences.push(`Attack type: ${type}${driver === undefined ? '' : `, driven by ${driver}`}.`);
  else if (driver !== undefined) sentences.push(`Primary driver: ${driver}.`);
  const techniques = incident.mitre?.techniques.length ?? 0;
  if (tactics.length > 0 || techniques > 0) {
    const known = tactics.filter((t) => ENTERPRISE_IDS.has(t.id)).length;
    const other = tactics.length - known;
    const tacticsText = `${known} of the 14 ATT&CK enterprise tactics${other > 0 ? ` (and ${other} other)` : ''}`;
    sentences.push(`MITRE ATT&CK coverage: ${tacticsText}, ${formatCount(techniques)} ${techniques === 1 ? 'technique' : 'techniques'}.`);
  }
  return section('threat-summary', 'Threat Summary', [{ kind: 'text', text: sentences.join(' '), noun: 'summary', omittedChars: 0 }]);
}

/** The risk factor breakdown and the analyst notes (multi-line, cut first when over budget). */
export function threatAnalysisSection(incident: Incident): TicketSection | undefined {
  const blocks: TicketBlock[] = [];
  const factors = incident.risk.factors ?? [];
  if (factors.length > 0) {
    const rows = factors.map((f) => [cell(f.name), String(f.score), f.weight === undefined ? '—' : formatFraction(f.weight)]);
    blocks.push({ kind: 'caption', text: 'Risk factors' }, { kind: 'table', columns: ['Factor', 'Score', 'Weight'], rows, noun: 'risk factors', hidden: 0 });
  }
  const notes = incident.notes === undefined ? '' : normaliseMultiline(incident.notes).trim();
  if (notes !== '') {
    blocks.push({ kind: 'caption', text: 'Analyst notes' }, { kind: 'text', text: notes, noun: NOTES_NOUN, omittedChars: 0 });
  }
  return section('threat-analysis', 'Threat Analysis', blocks);
}

export function overviewSection(incident: Incident): TicketSection | undefined {
  const { risk } = incident;
  return section('overview', 'Incident Overview', [
    fields([
      ['Entity', inline(incident.actor.entity)],
      ['Actor', `${cell(incident.actor.name)} (${incident.actor.type})`],
      ['Risk score', formatScoreWithTrend(risk.score, riskLevelOf(incident), risk.previousScore)],
      ['Confidence', risk.confidence === undefined ? undefined : formatFraction(risk.confidence)],
      ['Primary driver', inline(risk.primaryDriver)],
      ['Attack pattern', inline(incident.attackPattern)],
      ['System state', inline(incident.systemState)],
      ['Campaign ID', inline(incident.campaignId)],
    ]),
  ]);
}

export function blastRadiusSection(incident: Incident): TicketSection | undefined {
  const radius = incident.blastRadius;
  if (radius === undefined) return undefined;
  const hosts = distinctNames(radius.hosts);
  const users = distinctNames(radius.users);
  const count = (n: number | undefined) => (n === undefined ? undefined : formatCount(n));
  const blocks: Array<TicketBlock | undefined> = [
    fields([
      ['Affected hosts', hosts.length > 0 ? formatCount(hosts.length) : undefined],
      ['Affected users', users.length > 0 ? formatCount(users.length) : undefined],
      ['SIEM alarms', count(radius.siemAlarms)],
      ['RhythmX detections', count(radius.detections)],
      ['Open threat cases', count(radius.openThreatCases)],
    ]),
  ];
  if (hosts.length > 0) blocks.push({ kind: 'caption', text: 'Hosts' }, { kind: 'list', items: hosts, noun: 'hosts', hidden: 0, style: 'inline' });
  if (users.length > 0) blocks.push({ kind: 'caption', text: 'Users' }, { kind: 'list', items: users, noun: 'users', hidden: 0, style: 'inline' });
  return section('blast-radius', 'Blast Radius', blocks);
}

export function enrichedTimelineSection(incident: Incident): TicketSection | undefined {
  const { timeline } = incident;
  if (timeline === undefined) return undefined;
  return section('enriched-timeline', 'Timeline', [
    fields([
      ['First alert', formatDateTime(timeline.firstAlertAt)],
      ['Last alert', formatDateTime(timeline.lastAlertAt)],
      ['Escalated', timeline.escalatedAt === undefined ? undefined : formatDateTime(timeline.escalatedAt)],
      ['Incident ID', incident.id],
    ]),
  ]);
}

/** The link back to RhythmX; undefined without a usable http(s) base URL. */
export function deepDiveSection(incident: Incident, baseUrl: string | undefined): TicketSection | undefined {
  const href = deepLink(baseUrl, incident.id);
  if (href === undefined) return undefined;
  return section('deep-dive', 'Deep Dive', [{ kind: 'link', label: 'Open in RhythmX', href }]);
}
