export { ticketSummary, JIRA_SUMMARY_MAX, SERVICENOW_SUMMARY_MAX } from './summary.js';
export {
  buildTicketModel,
  omissionNote,
  type TicketModel,
  type TicketSection,
  type TicketBlock,
  type TicketField,
  type SectionId,
  type EnrichedSectionId,
  type ListStyle,
} from './ticket-model.js';
export type { FollowedTicket, RenderOptions } from './render-options.js';
export { renderJiraAdf, ADF_MAX_CHARS } from './adf.renderer.js';
export { adfToText, type AdfDoc, type AdfNode, type AdfMark, type AdfInline, type AdfBlock } from './adf.types.js';
export { renderJiraWiki, WIKI_MAX_CHARS } from './wiki.renderer.js';
export { wikiEscape, wikiUnescape, wikiEscapeUrl } from './wiki-escape.js';
export { renderPlainText, neutraliseServiceNowCode, PLAIN_TEXT_MAX_CHARS } from './plain-text.renderer.js';
export { normaliseInline, normaliseMultiline, MAX_INLINE_CHARS } from './text-normalise.js';
export {
  renderEnrichedDescription,
  buildEnrichedSections,
  PROACTIVE_TEXT_MAX_CHARS,
  type EnrichedDescriptionOptions,
} from './enriched-description.js';
export { recommendedActions, MAX_ACTIONS_PER_GROUP, type RecommendedActions } from './recommended-actions.js';
export { MAX_NAMED } from './action-names.js';
export { ENTERPRISE_TACTICS, type EnterpriseTacticId } from './attack-tactics.js';
export { renderRiskUpdateNote, type RiskUpdateNoteOptions } from './risk-update-note.js';
export { deepLink } from './ticket-sections.js';
