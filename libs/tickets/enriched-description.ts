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
import { cutBlock, fitSections, type SectionWriter } from './fit-budget.js';
import { recommendedActions } from './recommended-actions.js';
import { resolveMaxChars, type FollowedTicket } from './render-options.js';
import { followsUpSection } from './ticket-sections.js';
import { codePointSafeEnd } from './text-normalise.js';
import type { SectionId, TicketBlock, TicketSection } from './ticket-model.js';

/** The Proactive Case API's limit for a case description and an update's work note. */
export const PROACTIVE_TEXT_MAX_CHARS = 32_000;

export interface EnrichedDescriptionOptions {
  /** RhythmX UI base URL (http or https): adds the Deep Dive link `<base>/incidents/<id>`. */
  deepLinkBaseUrl?: string;
  /** On an update: the risk change whose new rule raised the risk (adds Cause of Risk Increment). */
  causeOfIncrement?: RiskChange;
  /** A follow-up case: the earlier case it follows, named first. */
  followsUp?: FollowedTicket;
}

/**
 * Over budget, long blocks are first brought down to a readable size, one noun at a time until the
 * body fits (so a long note does not push every rule out, nor the reverse); a second, harder round
 * follows for small limits. Notes go first: the Deep Dive link shows them whole.
 */
const OVER_BUDGET_CAPS: ReadonlyArray<ReadonlyArray<readonly [noun: string, kept: number]>> = [
  [[NOTES_NOUN, 4_000], ['sample events', 10], ['SIEM triggers', 20], ['rules', 20], ['hosts', 25], ['users', 25]],
  [[NOTES_NOUN, 1_000], ['sample events', 3], ['SIEM triggers', 5], ['rules', 5], ['hosts', 10], ['users', 10], ['tactics', 5]],
];

/** When capping is not enough, whole sections go, in this order, with a note naming them. */
const DROP_ORDER: readonly SectionId[] = [
  'threat-analysis',
  'sample-events',
  'siem-triggers',
  'blast-radius',
  'mitre-chain',
  'detected-threats',
  'enriched-timeline',
  'overview',
  'risk-increment',
];
/** Never dropped; at a limit too small for them whole, the actions and then the summary are cut. */
const KEPT: readonly SectionId[] = ['follows-up', 'threat-summary', 'recommended-actions', 'deep-dive'];

/** The sections of the enriched description, in the spec's order, only those with data. */
export function buildEnrichedSections(incident: Incident, options: EnrichedDescriptionOptions = {}): TicketSection[] {
  const tactics = observedTactics(incident);
  const rules = rulesBySeverity(incident);
  return [
    followsUpSection(options.followsUp),
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
 * and pointing at the Deep Dive link; at small limits whole sections go, named in a note. Threat
 * Summary, Recommended Actions and the link always stay (cut themselves only when nothing else is left).
 */
export function renderEnrichedDescription(
  incident: Incident,
  options: EnrichedDescriptionOptions = {},
  maxChars: number = PROACTIVE_TEXT_MAX_CHARS,
): string {
  const budget = resolveMaxChars(maxChars, PROACTIVE_TEXT_MAX_CHARS);
  let sections = buildEnrichedSections(incident, options);
  const hasLink = sections.some((s) => s.id === 'deep-dive');
  const pointer = hasLink ? 'see the Deep Dive link' : `see incident ${incident.id} in RhythmX`;
  const writer = enrichedWriter(pointer);
  for (const round of OVER_BUDGET_CAPS) {
    for (const [noun, kept] of round) {
      if (totalSize(sections, writer) <= budget) break;
      sections = capNoun(sections, noun, kept);
    }
  }
  const fitted = fitSections(sections, budget, writer, { shrink: [], drop: DROP_ORDER });
  if (fitted.length > 0) return fitted.join('\n\n');
  return fitKeptSections(sections, budget, writer, pointer).join('\n\n');
}

/** Only the sections that always stay, the summary saying what else was left out; cut further if need be. */
function fitKeptSections(sections: readonly TicketSection[], budget: number, writer: SectionWriter<string>, pointer: string): string[] {
  const dropped = sections.filter((s) => !KEPT.includes(s.id)).map((s) => s.title);
  const kept = sections
    .filter((s) => KEPT.includes(s.id))
    .map((s): TicketSection =>
      s.id === 'threat-summary' && dropped.length > 0
        ? { ...s, blocks: [...s.blocks, { kind: 'note', text: `… not shown (size limit): ${dropped.join(', ')}; ${pointer}` }] }
        : s,
    );
  const fitted = fitSections(kept, budget, writer, { shrink: ['recommended-actions', 'threat-summary'], drop: [] });
  if (fitted.length > 0) return fitted;
  // A limit too small even for that: the link alone, when it fits.
  const link = kept.find((s) => s.id === 'deep-dive');
  const linkText = link === undefined ? '' : writer.render(link);
  return linkText !== '' && linkText.length <= budget ? [linkText] : [];
}
