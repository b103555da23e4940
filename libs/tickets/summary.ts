import { severityFromScore, type Incident } from '@rhx/domain';
import { cutToLength, normaliseSummaryText } from './text-normalise.js';

/** Jira's summary limit (characters, counted as UTF-16 code units). */
export const JIRA_SUMMARY_MAX = 255;
/** ServiceNow cuts `short_description` in its UI beyond this. */
export const SERVICENOW_SUMMARY_MAX = 160;

/**
 * The ticket's one-line title: `[RhythmX] <SEVERITY> risk <score> — <actor name> (<actor type>)`.
 *
 * Invariants: one line (control characters and line breaks in the name become single spaces; bidi
 * controls become `[U+XXXX]`, as in every description); `result.length <= maxLength` in UTF-16
 * code units; when cut, it ends with "…" and never splits a surrogate pair or a grapheme cluster.
 * Severity comes from the score alone (`severityFromScore`), not from a stated risk level.
 */
export function ticketSummary(incident: Incident, maxLength: number): string {
  const severity = severityFromScore(incident.risk.score);
  const name = normaliseSummaryText(incident.actor.name);
  const full = `[RhythmX] ${severity} risk ${incident.risk.score} — ${name} (${incident.actor.type})`;
  return cutToLength(full, Number.isNaN(maxLength) ? 0 : Math.max(0, Math.floor(maxLength)));
}
