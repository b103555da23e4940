import { severityFromScore, type Incident, type RiskChange, type RiskLevel } from '@rhx/domain';
import { enrichedWriter } from './enriched-writer.js';
import { deepDiveSection } from './enriched-sections.js';
import { PROACTIVE_TEXT_MAX_CHARS } from './enriched-description.js';
import { newRuleBlocks, previousScoreOf, reasonBlocks } from './evidence-sections.js';
import { fitSections, type FitPolicy } from './fit-budget.js';
import { resolveMaxChars } from './render-options.js';
import { formatScoreWithTrend } from './ticket-format.js';
import type { TicketSection } from './ticket-model.js';
import { fields, section } from './ticket-sections.js';

export interface RiskUpdateNoteOptions {
  /** RhythmX UI base URL (http or https): adds the Deep Dive link. */
  deepLinkBaseUrl?: string;
  /** Most characters the note may hold (default 32,000, the Proactive Case API's limit). */
  maxChars?: number;
  /**
   * The level the case's priority was last set from (e.g. from `snowLastPriority`); when absent,
   * the level of the previous score (see {@link previousScoreOf}).
   */
  previousLevel?: RiskLevel;
  /** How the ticket's system names a level's priority (`1 Critical`, `Highest`); without it, the level itself. */
  priorityText?: (level: RiskLevel) => string;
}

// The new rule and the reason may be cut at tiny limits; the score lines and the link never are.
const NOTE_FIT_POLICY: FitPolicy = { shrink: ['risk-increment', 'risk-update'], drop: ['risk-increment'] };

function previousLevelOf(change: RiskChange, incident: Incident, options: RiskUpdateNoteOptions): RiskLevel | undefined {
  if (options.previousLevel !== undefined) return options.previousLevel;
  const previous = previousScoreOf(change, incident);
  return previous === undefined ? undefined : severityFromScore(previous);
}

function riskUpdateSection(change: RiskChange, incident: Incident, options: RiskUpdateNoteOptions): TicketSection | undefined {
  const level = severityFromScore(change.score);
  const before = previousLevelOf(change, incident, options);
  const changed = before !== undefined && before !== level;
  const priorityText = options.priorityText ?? ((l: RiskLevel) => l);
  return section('risk-update', `Risk Update for ${incident.id}`, [
    fields([
      ['Risk score', formatScoreWithTrend(change.score, level, previousScoreOf(change, incident))],
      ['Risk level', changed ? `${level} (was ${before})` : level],
      ['Priority', changed ? `${priorityText(before)} → ${priorityText(level)}` : undefined],
    ]),
    ...reasonBlocks(change.reason),
  ]);
}

/**
 * The work note of a risk update (`POST /cases/{caseNumber}/updates`), plain text: the new score
 * and level with the previous score and trend arrow, the priority when the level changed, the
 * reason, the cause of risk increment (the new rule: name, severity, count, first/last seen, Sigma
 * id, and its sample event) and the Deep Dive link. Same normalisation as the description;
 * `result.length <= maxChars` (default 32,000).
 */
export function renderRiskUpdateNote(change: RiskChange, incident: Incident, options: RiskUpdateNoteOptions = {}): string {
  const budget = resolveMaxChars(options.maxChars, PROACTIVE_TEXT_MAX_CHARS);
  const link = deepDiveSection(incident, options.deepLinkBaseUrl);
  const sections = [
    riskUpdateSection(change, incident, options),
    section('risk-increment', 'Cause of Risk Increment', newRuleBlocks(change.newRule)),
    link,
  ].filter((s): s is TicketSection => s !== undefined);
  const writer = enrichedWriter(link === undefined ? `see incident ${incident.id} in RhythmX` : 'see the Deep Dive link');
  return fitSections(sections, budget, writer, NOTE_FIT_POLICY).join('\n\n');
}
