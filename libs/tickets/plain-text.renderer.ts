import type { Incident } from '@rhx/domain';
import { fitSections, type SectionWriter } from './fit-budget.js';
import { resolveMaxChars, type RenderOptions } from './render-options.js';
import { buildTicketModel, omissionNote, type TicketBlock, type TicketSection } from './ticket-model.js';

/** Default limit for a ServiceNow description. */
export const PLAIN_TEXT_MAX_CHARS = 32_000;

const CODE_TAG = /\[(\/?)(code)\]/gi;

/**
 * ServiceNow shows text between `[code]` and `[/code]` as raw HTML in journal and some form
 * views. Those two tags (any letter case) become `(code)` and `(/code)`; nothing else in plain
 * text is changed: no HTML entities are added. Same length, so size limits are unaffected.
 */
export function neutraliseServiceNowCode(text: string): string {
  return text.replace(CODE_TAG, '($1$2)');
}

function tableRows(block: Extract<TicketBlock, { kind: 'table' }>): string {
  return block.rows
    .map((cells) => {
      const details = cells.slice(1).map((value, i) => `${block.columns[i + 1] ?? ''}: ${value}`);
      return details.length > 0 ? `- ${cells[0] ?? ''} — ${details.join(', ')}` : `- ${cells[0] ?? ''}`;
    })
    .join('\n');
}

function blockText(block: TicketBlock): string {
  switch (block.kind) {
    case 'fields':
      return block.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
    case 'subheading':
      return `-- ${block.text} --`;
    case 'caption':
      return `${block.text}:`;
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'table':
      return tableRows(block);
    case 'text':
      return block.text;
    case 'link':
      return `${block.label}: ${block.href}`;
    case 'note':
      return block.text;
  }
}

function sectionText(section: TicketSection): string {
  const parts = [`== ${section.title} ==`];
  for (const block of section.blocks) {
    const text = blockText(block);
    if (text !== '') parts.push(text);
    const note = omissionNote(block);
    if (note !== undefined) parts.push(note);
  }
  return neutraliseServiceNowCode(parts.join('\n\n'));
}

const plainWriter: SectionWriter<string> = {
  render: sectionText,
  size: (text) => text.length,
  separatorSize: 2,
};

/**
 * The ServiceNow description as plain text, at most `maxChars` (default 32,000) characters.
 * Incident text appears verbatim after the normalisation of `text-normalise.ts`, except that
 * `[code]`/`[/code]` are neutralised ({@link neutraliseServiceNowCode}).
 */
export function renderPlainText(incident: Incident, options: RenderOptions = {}): string {
  const model = buildTicketModel(incident, options);
  return fitSections(model.sections, resolveMaxChars(options.maxChars, PLAIN_TEXT_MAX_CHARS), plainWriter).join('\n\n');
}
