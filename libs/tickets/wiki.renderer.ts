import type { Incident } from '@rhx/domain';
import { fitSections, type SectionWriter } from './fit-budget.js';
import { resolveMaxChars, type RenderOptions } from './render-options.js';
import { buildTicketModel, omissionNote, type TicketBlock, type TicketSection } from './ticket-model.js';
import { wikiEscape, wikiEscapeUrl } from './wiki-escape.js';

/** Default limit for a Jira Data Center description (the whole markup string), under Jira's 32,767. */
export const WIKI_MAX_CHARS = 32_000;

// Every string from the model goes through wikiEscape, our own labels included, so that the only
// markup in the output is the markup written here. Blocks are separated by blank lines so that a
// list never runs on into the paragraph after it.
function blockMarkup(block: TicketBlock): string {
  switch (block.kind) {
    case 'fields':
      return block.fields.map((f) => `* *${wikiEscape(f.label)}:* ${wikiEscape(f.value)}`).join('\n');
    case 'subheading':
      return `h3. ${wikiEscape(block.text)}`;
    case 'caption':
      return `*${wikiEscape(block.text)}*`;
    case 'list':
      return block.items.map((item) => `* ${wikiEscape(item)}`).join('\n');
    case 'table':
      if (block.rows.length === 0) return '';
      return [
        `||${block.columns.map(wikiEscape).join('||')}||`,
        ...block.rows.map((cells) => `|${cells.map(wikiCell).join('|')}|`),
      ].join('\n');
    case 'text':
      return wikiEscape(block.text);
    case 'link':
      return `[${wikiEscape(block.label)}|${wikiEscapeUrl(block.href)}]`;
    case 'note':
      return `_${wikiEscape(block.text)}_`;
  }
}

// An empty cell would read as `||`, a header separator.
function wikiCell(value: string): string {
  return value === '' ? ' ' : wikiEscape(value);
}

function sectionMarkup(section: TicketSection): string {
  const parts = [`h2. ${wikiEscape(section.title)}`];
  for (const block of section.blocks) {
    const markup = blockMarkup(block);
    if (markup !== '') parts.push(markup);
    const note = omissionNote(block);
    if (note !== undefined) parts.push(`_${wikiEscape(note)}_`);
  }
  return parts.join('\n\n');
}

const wikiWriter: SectionWriter<string> = {
  render: sectionMarkup,
  size: (markup) => markup.length,
  separatorSize: 2,
};

/**
 * The Jira Data Center (REST v2) description as wiki markup, at most `maxChars` (default 32,000)
 * characters. Incident text is escaped with {@link wikiEscape}: it renders as the same visible
 * text and never as markup.
 */
export function renderJiraWiki(incident: Incident, options: RenderOptions = {}): string {
  const model = buildTicketModel(incident, options);
  return fitSections(model.sections, resolveMaxChars(options.maxChars, WIKI_MAX_CHARS), wikiWriter).join('\n\n');
}
