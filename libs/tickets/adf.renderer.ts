import type { Incident } from '@rhx/domain';
import type {
  AdfBlock,
  AdfDoc,
  AdfInline,
  AdfListItem,
  AdfMark,
  AdfNode,
  AdfParagraph,
  AdfTableRow,
} from './adf.types.js';
import { adfNodesTextLength } from './adf.types.js';
import { fitSections, type SectionWriter } from './fit-budget.js';
import { buildTicketModel, omissionNote, type TicketBlock, type TicketSection } from './ticket-model.js';
import { resolveMaxChars, type RenderOptions } from './render-options.js';

/** Default limit for a Jira Cloud description: visible characters, under Jira's 32,767. */
export const ADF_MAX_CHARS = 32_000;

const STRONG: AdfMark[] = [{ type: 'strong' }];
const EM: AdfMark[] = [{ type: 'em' }];

// Text is data in ADF: incident text goes into text nodes exactly as normalised, never parsed.
function text(value: string, marks?: AdfMark[]): AdfInline[] {
  if (value === '') return [];
  return [marks === undefined ? { type: 'text', text: value } : { type: 'text', text: value, marks }];
}

function paragraph(content: AdfInline[]): AdfParagraph {
  return { type: 'paragraph', content };
}

function listItem(content: AdfInline[]): AdfListItem {
  return { type: 'listItem', content: [paragraph(content)] };
}

function multiline(value: string): AdfInline[] {
  const out: AdfInline[] = [];
  const lines = value.split('\n');
  lines.forEach((line, index) => {
    if (index > 0) out.push({ type: 'hardBreak' });
    out.push(...text(line));
  });
  return out;
}

function row(cells: readonly string[], type: 'tableHeader' | 'tableCell'): AdfTableRow {
  return { type: 'tableRow', content: cells.map((c) => ({ type, content: [paragraph(text(c))] })) };
}

function blockNodes(block: TicketBlock): AdfBlock[] {
  switch (block.kind) {
    case 'fields':
      return [
        {
          type: 'bulletList',
          content: block.fields.map((f) => listItem([...text(`${f.label}: `, STRONG), ...text(f.value)])),
        },
      ];
    case 'subheading':
      return [{ type: 'heading', attrs: { level: 3 }, content: text(block.text) }];
    case 'caption':
      return [paragraph(text(block.text, STRONG))];
    case 'list':
      return block.items.length === 0 ? [] : [{ type: 'bulletList', content: block.items.map((i) => listItem(text(i))) }];
    case 'table':
      if (block.rows.length === 0) return [];
      return [
        {
          type: 'table',
          attrs: { isNumberColumnEnabled: false, layout: 'default' },
          content: [row(block.columns, 'tableHeader'), ...block.rows.map((r) => row(r, 'tableCell'))],
        },
      ];
    case 'text':
      return block.text === '' ? [] : [paragraph(multiline(block.text))];
    case 'link':
      return [paragraph(text(block.label, [{ type: 'link', attrs: { href: block.href } }]))];
    case 'note':
      return [paragraph(text(block.text, EM))];
  }
}

function sectionNodes(section: TicketSection): AdfBlock[] {
  const nodes: AdfBlock[] = [{ type: 'heading', attrs: { level: 2 }, content: text(section.title) }];
  for (const block of section.blocks) {
    nodes.push(...blockNodes(block));
    const note = omissionNote(block);
    if (note !== undefined) nodes.push(paragraph(text(note, EM)));
  }
  return nodes;
}

const adfWriter: SectionWriter<AdfBlock[]> = {
  render: sectionNodes,
  size: adfNodesTextLength,
  separatorSize: 1,
};

/**
 * The Jira Cloud (REST v3) description: a valid ADF document whose visible text
 * ({@link adfToText}) is at most `maxChars` (default 32,000) characters. Incident text appears in
 * text nodes verbatim after the normalisation of `text-normalise.ts`.
 */
export function renderJiraAdf(incident: Incident, options: RenderOptions = {}): AdfDoc {
  const model = buildTicketModel(incident, options);
  const sections = fitSections(model.sections, resolveMaxChars(options.maxChars, ADF_MAX_CHARS), adfWriter);
  const content: AdfNode[] = sections.flat();
  return { type: 'doc', version: 1, content };
}
