export { ticketSummary, JIRA_SUMMARY_MAX, SERVICENOW_SUMMARY_MAX } from './summary.js';
export {
  buildTicketModel,
  omissionNote,
  type TicketModel,
  type TicketSection,
  type TicketBlock,
  type TicketField,
  type SectionId,
} from './ticket-model.js';
export type { RenderOptions } from './render-options.js';
export { renderJiraAdf, ADF_MAX_CHARS } from './adf.renderer.js';
export { adfToText, type AdfDoc, type AdfNode, type AdfMark, type AdfInline, type AdfBlock } from './adf.types.js';
export { renderJiraWiki, WIKI_MAX_CHARS } from './wiki.renderer.js';
export { wikiEscape, wikiUnescape, wikiEscapeUrl } from './wiki-escape.js';
export { renderPlainText, neutraliseServiceNowCode, PLAIN_TEXT_MAX_CHARS } from './plain-text.renderer.js';
export { normaliseInline, normaliseMultiline, MAX_INLINE_CHARS } from './text-normalise.js';
