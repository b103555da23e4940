import type { Incident, RiskChange } from '@rhx/domain';
import { observedTactics } from './attack-tactics.js';
import { enrichedWriter } from './enriched-writer.js';
import {
  blastRadiusSection,
  deepDiveSection,
  enrichedTimelineSection,
  NOTES_NOUN,
  overviewSection,
  threatAnalysisSection,
  threatSummarySection,
} from './enriched-sections.js';
import {
  detectedThreatsSection,
  mitreChainSection,
  recommendedActionsSection,
  riskIncrementSection,
  rulesBySeverity,
  sampleEventsSection,
  siemTriggersSection,
} from './evidence-sections.js';
import { cutBlock, fitSections, type FitPolicy, type SectionWriter } from './fit-budget.js';
import { recommendedActions } from './recommended-actions.js';
import { resolveMaxChars } from './render-options.js';
import { codePointSafeEnd } from './text-normalise.js';
import type { TicketBlock, TicketSection } from './ticket-model.js';

/** The Proactive Case API's limit for a case description and an update's work note. */
export const PROACTIVE_TEXT_MAX_CHARS = 32_000;

export interface EnrichedDescriptionOptions {
  /** RhythmX UI base URL (http or https): adds the Deep Dive link `<base>/incidents/<id>`. */
  deepLinkBaseUrl?: string;
  /** On an update: the risk change whose new rule raised the risk (adds Cause of Risk Increment). */
  causeOfIncrement?: RiskChange;
}

/**
 * Over budget, the long blocks are first brought down to a readable size, one noun at a time
 * until the body fits (so a long note does not push every rule out, nor the reverse); only then
 * does the exact fitting below cut further. Notes go first: the Deep Dive link shows them whole.
 */
const OVER_BUDGET_CAPS: ReadonlyArray<readonly [noun: string, kept: number]> = [
  [NOTES_NOUN, 4_000],
  ['sample events', 10],
  ['SIEM triggers', 20],
  ['rules', 20],
  ['hosts', 25],
  ['users', 25],
];

/** Threat Summary, Recommended Actions and Deep Dive are never removed (the actions only cut at tiny limits). */
const ENRICHED_FIT_POLICY: FitPolicy = {
  shrink: ['threat-analysis', 'sample-events', 'siem-triggers', 'detected-threats', 'blast-radius', 'mitre-chain', 'risk-increment', 'recommended-actions'],
  drop: ['threat-analysis', 'sample-events', 'siem-triggers', 'detected-threats', 'blast-radius', 'mitre-chain', 'enriched-timeline', 'overview', 'risk-increment'],
};

/** The sections of the enriched description, in the spec's order, only those with data. */
export function buildEnrichedSections(incident: Incident, options: EnrichedDescriptionOptions = {}): TicketSection[] {
  const tactics = observedTactics(incident);
  const rules = rulesBySeverity(incident);
  return [
    threatSummarySection(incident, tactics),
    threatAnalysisSection(incident),
    overviewSection(incident),
    blastRadiusSection(incident),
    detectedThreatsSection(rules),
    sampleEventsSection(rules),
    riskIncrementSection(options.causeOfIncrement, incident),
    siemTriggersSection(incident),
    mitreChainSection(incident, tactics),
    recommendedActionsSection(recommendedActions(incident)),
    enrichedTimelineSection(incident),
    deepDiveSection(incident, options.deepLinkBaseUrl),
  ].filter((s): s is TicketSection => s !== undefined);
}

/** Notes cut at the last line break (else space) in the last quarter of `kept`, so no line or word is split when avoidable. */
function capText(block: Extract<TicketBlock, { kind: 'text' }>, kept: number): TicketBlock {
  if (block.text.length <= kept) return block;
  const head = block.text.slice(0, kept);
  const floor = Math.floor(kept * 0.75);
  const [lineEnd, wordEnd] = [head.lastIndexOf('\n'), head.lastIndexOf(' ')];
  const breakAt = lineEnd >= floor ? lineEnd : wordEnd >= floor ? wordEnd : codePointSafeEnd(block.text, kept);
  const text = block.text.slice(0, breakAt).trimEnd();
  return { ...block, text, omittedChars: block.omittedChars + block.text.length - text.length };
}

function capNoun(sections: readonly TicketSection[], noun: string, kept: number): TicketSection[] {
  return sections.map((s) => ({
    ...s,
    blocks: s.blocks.map((block) => {
      if (!('noun' in block) || block.noun !== noun) return block;
      if (block.kind === 'text') return capText(block, kept);
      const length = block.kind === 'list' ? block.items.length : block.kind === 'table' ? block.rows.length : 0;
      return length > kept ? cutBlock(block, kept) : block;
    }),
  }));
}

function totalSize(sections: readonly TicketSection[], writer: SectionWriter<string>): number {
  return sections.reduce((sum, s, i) => sum + writer.size(writer.render(s)) + (i > 0 ? writer.separatorSize : 0), 0);
}

/**
 * The enriched case description of `specs/proactive-case-api.md` as plain text: Threat Summary ·
 * Threat Analysis (risk factors, analyst notes) · Incident Overview · Blast Radius · Detected
 * Threats · Sample Events per Rule · Cause of Risk Increment (only with `causeOfIncrement`) ·
 * Contributed SIEM Triggers · MITRE ATT&CK · Recommended Actions · Timeline · Deep Dive.
 *
 * Invariants: a section without data is absent (no empty heading, no "undefined"/"null"); incident
 * text is normalised as every renderer does (bidi controls shown as `[U+XXXX]`, other controls as
 * U+FFFD) and `[code]` tags neutralised for ServiceNow; `result.length <= maxChars`. Over the
 * limit, whole rows and list items are cut (never a line), each cut saying how many were left out
 * and pointing at the Deep Dive link; Threat Summary, Recommended Actions and the link stay.
 */
export function renderEnrichedDescription(
  incident: Incident,
  options: EnrichedDescriptionOptions = {},
  maxChars: number = PROACTIVE_TEXT_MAX_CHARS,
): string {
  const budget = resolveMaxChars(maxChars, PROACTIVE_TEXT_MAX_CHARS);
  let sections = buildEnrichedSections(incident, options);
  const hasLink = sections.some((s) => s.id === 'deep-dive');
  const writer = enrichedWriter(hasLink ? 'see the Deep Dive link' : `see incident ${incident.id} in RhythmX`);
  for (const [noun, kept] of OVER_BUDGET_CAPS) {
    if (totalSize(sections, writer) <= budget) break;
    sections = capNoun(sections, noun, kept);
  }
  const fitted = fitSections(sections, budget, writer, ENRICHED_FIT_POLICY);
  if (fitted.length > 0) return fitted.join('\n\n');
  // A limit too small for even the kept sections: the link alone, when it fits.
  const link = sections.find((s) => s.id === 'deep-dive');
  const linkText = link === undefined ? '' : writer.render(link);
  return linkText.length <= budget ? linkText : '';
}
