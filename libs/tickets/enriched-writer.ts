import type { SectionWriter } from './fit-budget.js';
import { alignedFields, alignedTable, markedItems, wrappedNames } from './plain-layout.js';
import { neutraliseServiceNowCode } from './plain-text.renderer.js';
import { formatCount } from './ticket-format.js';
import type { TicketBlock, TicketSection } from './ticket-model.js';

/**
 * Writes enriched sections as plain text for a case (a ServiceNow field behind the Proactive Case
 * API): a title underlined with `=`, aligned fields and tables, numbered or wrapped lists. Every
 * cut says what it left out and where to see it (`pointer`, e.g. "see the Deep Dive link").
 */
export function enrichedWriter(pointer: string): SectionWriter<string> {
  return { render: (section) => sectionText(section, pointer), size: (text) => text.length, separatorSize: 2 };
}

/** The note under a cut block: "… 236 more rules not shown; see the Deep Dive link". */
export function cutNote(block: TicketBlock, pointer: string): string | undefined {
  if ((block.kind === 'list' || block.kind === 'table') && block.hidden > 0) {
    return `… ${formatCount(block.hidden)} more ${block.noun} not shown; ${pointer}`;
  }
  if (block.kind === 'text' && block.omittedChars > 0) {
    return `… ${formatCount(block.omittedChars)} more characters of the ${block.noun} not shown; ${pointer}`;
  }
  return undefined;
}

function listText(block: Extract<TicketBlock, { kind: 'list' }>): string {
  switch (block.style ?? 'bullets') {
    case 'inline':
      return wrappedNames(block.items);
    case 'numbered': {
      const digits = String(block.items.length).length;
      return markedItems(block.items, (i) => `${String(i + 1).padStart(digits)}. `);
    }
    case 'bullets':
      return markedItems(block.items, () => '- ');
  }
}

function blockText(block: TicketBlock): string {
  switch (block.kind) {
    case 'fields':
      return alignedFields(block.fields);
    case 'subheading':
      return `${block.text}\n${'-'.repeat(block.text.length)}`;
    case 'caption':
      return `${block.text}:`;
    // A list or table cut to nothing shows only its note, not an empty header.
    case 'list':
      return block.items.length === 0 ? '' : listText(block);
    case 'table':
      return block.rows.length === 0 ? '' : alignedTable(block.columns, block.rows);
    case 'text':
    case 'note':
      return block.text;
    case 'link':
      return `${block.label}: ${block.href}`;
  }
}

function sectionText(section: TicketSection, pointer: string): string {
  let body = '';
  let joinNext = '';
  for (const block of section.blocks) {
    const text = blockText(block);
    if (text !== '') {
      body += joinNext + text;
      // A caption belongs to the block under it: one line break, not a blank line.
      joinNext = block.kind === 'caption' ? '\n' : '\n\n';
    }
    const note = cutNote(block, pointer);
    if (note !== undefined) {
      body += (text === '' ? joinNext : '\n') + note;
      joinNext = '\n\n';
    }
  }
  const title = section.title.toUpperCase();
  return neutraliseServiceNowCode(`${title}\n${'='.repeat(title.length)}\n${body}`);
}
