/**
 * The subset of the Atlassian Document Format (Jira Cloud REST v3) that tickets use.
 * Rules kept by construction (see `specs/jira-rest.md`): `version` is 1; a text node's `text` is
 * never empty; lists hold at least one item and an item starts with a paragraph; every table cell
 * holds a paragraph; `code` is never combined with `strong` or `em` (tickets never use `code`).
 */
export type AdfMark = { type: 'strong' } | { type: 'em' } | { type: 'code' } | { type: 'link'; attrs: { href: string } };

export interface AdfText {
  type: 'text';
  text: string;
  marks?: AdfMark[];
}
export interface AdfHardBreak {
  type: 'hardBreak';
}
export type AdfInline = AdfText | AdfHardBreak;

export interface AdfParagraph {
  type: 'paragraph';
  content: AdfInline[];
}
export interface AdfHeading {
  type: 'heading';
  attrs: { level: 1 | 2 | 3 | 4 | 5 | 6 };
  content: AdfInline[];
}
export interface AdfListItem {
  type: 'listItem';
  content: [AdfParagraph, ...AdfBlock[]];
}
export interface AdfBulletList {
  type: 'bulletList';
  content: AdfListItem[];
}
export interface AdfTableCell {
  type: 'tableHeader' | 'tableCell';
  content: AdfParagraph[];
}
export interface AdfTableRow {
  type: 'tableRow';
  content: AdfTableCell[];
}
export interface AdfTable {
  type: 'table';
  attrs: { isNumberColumnEnabled: boolean; layout: 'default' };
  content: AdfTableRow[];
}
export type AdfBlock = AdfParagraph | AdfHeading | AdfBulletList | AdfTable;
export type AdfNode = AdfBlock | AdfListItem | AdfTableRow | AdfTableCell | AdfInline;

/** A Jira Cloud description or comment body. */
export type AdfDoc = { type: 'doc'; version: 1; content: AdfNode[] };

/**
 * The visible text of ADF nodes: text as sent, `hardBreak` as a newline, blocks on their own
 * lines, list items prefixed `• `, table cells joined by ` | `. This is what the size limit counts
 * and what previews show.
 */
export function adfNodesText(nodes: readonly AdfNode[]): string {
  return nodes.map(nodeText).join('\n');
}

/**
 * `adfNodesText(nodes).length`, counted without building the text: the size limit measures every
 * rendered section, and some again while they are cut to fit, so the strings were garbage at once.
 */
export function adfNodesTextLength(nodes: readonly AdfNode[]): number {
  return joinedLength(nodes, nodeTextLength, 1);
}

/** The visible text of an ADF document (see {@link adfNodesText}). */
export function adfToText(doc: AdfDoc): string {
  return adfNodesText(doc.content);
}

function nodeText(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'hardBreak':
      return '\n';
    case 'paragraph':
    case 'heading':
      return node.content.map(nodeText).join('');
    case 'bulletList':
      return node.content.map((item) => `• ${nodeText(item)}`).join('\n');
    case 'listItem':
    case 'tableHeader':
    case 'tableCell':
      return adfNodesText(node.content);
    case 'table':
      return node.content.map(nodeText).join('\n');
    case 'tableRow':
      return node.content.map(nodeText).join(' | ');
    default:
      return unknownNodeText(node as { text?: unknown; content?: unknown });
  }
}

function joinedLength<T>(items: readonly T[], length: (item: T) => number, separator: number): number {
  let sum = items.length > 0 ? (items.length - 1) * separator : 0;
  for (const item of items) sum += length(item);
  return sum;
}

// Mirrors nodeText case by case: the length of the text it returns.
function nodeTextLength(node: AdfNode): number {
  switch (node.type) {
    case 'text':
      return node.text.length;
    case 'hardBreak':
      return 1;
    case 'paragraph':
    case 'heading':
      return joinedLength(node.content, nodeTextLength, 0);
    case 'bulletList':
      return joinedLength(node.content, (item) => 2 + nodeTextLength(item), 1);
    case 'listItem':
    case 'tableHeader':
    case 'tableCell':
      return adfNodesTextLength(node.content);
    case 'table':
      return joinedLength(node.content, nodeTextLength, 1);
    case 'tableRow':
      return joinedLength(node.content, nodeTextLength, 3);
    default:
      return unknownNodeText(node as { text?: unknown; content?: unknown }).length;
  }
}

// Documents read back from Jira may hold node types tickets never emit (mention, emoji, …).
function unknownNodeText(node: { text?: unknown; content?: unknown }): string {
  if (typeof node.text === 'string') return node.text;
  return Array.isArray(node.content) ? adfNodesText(node.content as AdfNode[]) : '';
}
