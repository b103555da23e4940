import { severityFromScore, type Incident, type RiskChange, type Rule } from '@rhx/domain';
import type { ObservedTactic } from './attack-tactics.js';
import type { RecommendedActions } from './recommended-actions.js';
import { formatCount, formatDateTime, formatEventTime, formatScoreWithTrend } from './ticket-format.js';
import type { TicketBlock, TicketSection } from './ticket-model.js';
import { normaliseMultiline } from './text-normalise.js';
import { cell, fields, inline, section } from './ticket-sections.js';

/**
 * The evidence sections of the enriched description (specs/proactive-case-api.md): Detected
 * Threats, Sample Events per Rule, Cause of Risk Increment, Contributed SIEM Triggers, MITRE
 * ATT&CK and Recommended Actions. Each returns undefined when there is nothing to show.
 */

const MISSING = '—';
const SEVERITY_RANK: Record<Rule['severity'], number> = { critical: 0, high: 1, medium: 2, low: 3, informational: 4 };
/** Techniques named in one row of the MITRE table; the rest are counted. */
const TECHNIQUES_PER_TACTIC = 10;

/** Rules most severe first, then by count; ties keep incident order. Rows cut by the budget are the last ones. */
export function rulesBySeverity(incident: Incident): Rule[] {
  return [...(incident.rules ?? [])].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.count - a.count);
}

const when = (iso: string | undefined) => (iso === undefined ? MISSING : formatDateTime(iso));

export function detectedThreatsSection(rules: readonly Rule[]): TicketSection | undefined {
  if (rules.length === 0) return undefined;
  // The rule name is free text of any length: last, so every other column stays aligned.
  const rows = rules.map((r) => [r.severity, formatCount(r.count), when(r.firstSeenAt), when(r.lastSeenAt), cell(r.name)]);
  const columns = ['Severity', 'Count', 'First seen', 'Last seen', 'Rule'];
  return section('detected-threats', 'Detected Threats', [{ kind: 'table', columns, rows, noun: 'rules', hidden: 0 }]);
}

/** `Time: … · Host: … · User: … · Event ID: …` then `Detail: …`, each part only when present. */
function sampleEventLines(event: NonNullable<Rule['sampleEvent']>): string[] {
  const parts = [
    event.time === undefined ? undefined : `Time: ${formatEventTime(event.time)}`,
    inline(event.host) === undefined ? undefined : `Host: ${inline(event.host)}`,
    inline(event.user) === undefined ? undefined : `User: ${inline(event.user)}`,
    inline(event.eventId) === undefined ? undefined : `Event ID: ${inline(event.eventId)}`,
  ].filter((part): part is string => part !== undefined);
  const detail = inline(event.detail);
  const lines = parts.length > 0 ? [parts.join(' · ')] : [];
  return detail === undefined ? lines : [...lines, `Detail: ${detail}`];
}

export function sampleEventsSection(rules: readonly Rule[]): TicketSection | undefined {
  const items = rules.flatMap((rule) => {
    const lines = rule.sampleEvent === undefined ? [] : sampleEventLines(rule.sampleEvent);
    return lines.length === 0 ? [] : [[cell(rule.name), ...lines].join('\n')];
  });
  if (items.length === 0) return undefined;
  return section('sample-events', 'Sample Events per Rule', [{ kind: 'list', items, noun: 'sample events', hidden: 0 }]);
}

/** The risk change's reason as multi-line text (it may hold up to 10,000 characters). */
export function reasonBlocks(reason: string | undefined): TicketBlock[] {
  const text = reason === undefined ? '' : normaliseMultiline(reason).trim();
  return text === '' ? [] : [{ kind: 'caption', text: 'Reason' }, { kind: 'text', text, noun: 'reason', omittedChars: 0 }];
}

/** The rule that raised the risk: name, severity, count, first/last seen, Sigma id, and its sample event. */
export function newRuleBlocks(rule: Rule | undefined): TicketBlock[] {
  if (rule === undefined) return [];
  const blocks: Array<TicketBlock | undefined> = [
    { kind: 'caption', text: 'New rule' },
    fields([
      ['Rule', cell(rule.name)],
      ['Severity', rule.severity],
      ['Count', formatCount(rule.count)],
      ['First seen', rule.firstSeenAt === undefined ? undefined : formatDateTime(rule.firstSeenAt)],
      ['Last seen', rule.lastSeenAt === undefined ? undefined : formatDateTime(rule.lastSeenAt)],
      ['Sigma ID', inline(rule.sigmaId)],
    ]),
  ];
  const event = rule.sampleEvent === undefined ? [] : sampleEventLines(rule.sampleEvent);
  if (event.length > 0) blocks.push({ kind: 'caption', text: 'Sample event' }, { kind: 'text', text: event.join('\n'), noun: 'sample event', omittedChars: 0 });
  return blocks.filter((block): block is TicketBlock => block !== undefined);
}

/**
 * The score a risk change moved from: its own `previousScore`; else the incident's score when the
 * incident is still the one before the change; else (incident already updated) its `previousScore`.
 */
export function previousScoreOf(change: RiskChange, incident: Incident): number | undefined {
  if (change.previousScore !== undefined) return change.previousScore;
  return incident.risk.score !== change.score ? incident.risk.score : incident.risk.previousScore;
}

/** Cause of Risk Increment: new score and trend, reason, the new rule and its sample event. */
export function riskIncrementSection(change: RiskChange | undefined, incident: Incident): TicketSection | undefined {
  if (change === undefined) return undefined;
  const score = formatScoreWithTrend(change.score, severityFromScore(change.score), previousScoreOf(change, incident));
  return section('risk-increment', 'Cause of Risk Increment', [
    fields([['Risk score', score]]),
    ...reasonBlocks(change.reason),
    ...newRuleBlocks(change.newRule),
  ]);
}

export function siemTriggersSection(incident: Incident): TicketSection | undefined {
  const alarms = incident.siemAlarms ?? [];
  if (alarms.length === 0) return undefined;
  // Highest risk-based priority first, so a cut keeps the alarms that matter most.
  const sorted = [...alarms].sort((a, b) => b.rbp - a.rbp || Date.parse(a.date) - Date.parse(b.date) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rows = sorted.map((a) => [cell(a.id), formatDateTime(a.date), String(a.rbp), cell(a.entity)]);
  return section('siem-triggers', 'Contributed SIEM Triggers', [
    { kind: 'table', columns: ['Alarm ID', 'Date', 'RBP', 'Entity'], rows, noun: 'SIEM triggers', hidden: 0 },
  ]);
}

function techniqueCell(names: readonly string[]): string {
  const shown = names.slice(0, TECHNIQUES_PER_TACTIC).join(', ');
  const more = names.length - TECHNIQUES_PER_TACTIC;
  return more > 0 ? `${shown} and ${formatCount(more)} more` : shown || MISSING;
}

/** Tactics in kill-chain order as the chain `A → B → C`, the tactic and technique counts, and a tactic → techniques table. */
export function mitreChainSection(incident: Incident, tactics: readonly ObservedTactic[]): TicketSection | undefined {
  const techniques = incident.mitre?.techniques ?? [];
  if (tactics.length === 0 && techniques.length === 0) return undefined;
  const label = (t: { id: string; name: string }) => `${t.id} ${cell(t.name)}`;
  const rows = tactics.map((tactic) => [label(tactic), techniqueCell(techniques.filter((t) => t.tacticId === tactic.id).map(label))]);
  const placed = new Set(tactics.map((t) => t.id));
  const unplaced = techniques.filter((t) => t.tacticId === undefined || !placed.has(t.tacticId));
  if (unplaced.length > 0) rows.push(['No tactic given', techniqueCell(unplaced.map(label))]);
  return section('mitre-chain', 'MITRE ATT&CK', [
    fields([
      ['Chain', tactics.length > 0 ? tactics.map((t) => t.name).join(' → ') : undefined],
      ['Tactics', tactics.length > 0 ? formatCount(tactics.length) : undefined],
      ['Techniques', formatCount(techniques.length)],
    ]),
    { kind: 'table', columns: ['Tactic', 'Techniques'], rows, noun: 'tactics', hidden: 0 },
  ]);
}

const ACTION_GROUPS: ReadonlyArray<readonly [keyof RecommendedActions, string]> = [
  ['containment', 'Containment'],
  ['eradication', 'Eradication'],
  ['prevention', 'Prevention'],
  ['bestPractices', 'Best Practices'],
];

export function recommendedActionsSection(actions: RecommendedActions): TicketSection | undefined {
  const blocks = ACTION_GROUPS.flatMap(([key, title]): TicketBlock[] =>
    actions[key].length === 0
      ? []
      : [{ kind: 'caption', text: title }, { kind: 'list', items: actions[key], noun: `${title.toLowerCase()} actions`, hidden: 0, style: 'numbered' }],
  );
  return section('recommended-actions', 'Recommended Actions', blocks);
}
