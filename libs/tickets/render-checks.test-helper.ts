import { wikiUnescape } from './wiki-escape.js';

type Json = { [key: string]: unknown };

const BLOCKS = new Set(['paragraph', 'heading', 'bulletList', 'orderedList', 'table']);
const INLINES = new Set(['text', 'hardBreak']);

/**
 * Problems with an ADF document against the rules of `specs/jira-rest.md` (empty when valid):
 * version 1; non-empty text; heading level 1–6; lists non-empty, items start with a paragraph;
 * table → tableRow → tableHeader/tableCell, each holding blocks; `code` never with strong/em;
 * links carry an href; and no heading directly followed by a heading or by nothing.
 */
export function adfProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const d = doc as Json;
  if (d.type !== 'doc') problems.push('root type is not doc');
  if (d.version !== 1) problems.push('version is not 1');
  if (!Array.isArray(d.content)) return [...problems, 'doc has no content array'];
  const content = d.content as Json[];
  content.forEach((node, i) => {
    if (!BLOCKS.has(String(node.type))) problems.push(`doc.content[${i}] is ${String(node.type)}`);
    checkNode(node, `doc.content[${i}]`, problems);
    const next = content[i + 1];
    if (node.type === 'heading' && (next === undefined || next.type === 'heading')) problems.push(`empty heading at ${i}`);
  });
  return problems;
}

function children(node: Json, path: string, problems: string[]): Json[] {
  if (!Array.isArray(node.content)) {
    problems.push(`${path} has no content array`);
    return [];
  }
  return node.content as Json[];
}

function checkNode(node: Json, path: string, problems: string[]): void {
  switch (node.type) {
    case 'text':
      if (typeof node.text !== 'string' || node.text === '') problems.push(`${path} empty text`);
      checkMarks(node, path, problems);
      return;
    case 'hardBreak':
      return;
    case 'paragraph':
    case 'heading': {
      if (node.type === 'heading') {
        const level = (node.attrs as Json | undefined)?.level;
        if (typeof level !== 'number' || level < 1 || level > 6) problems.push(`${path} bad heading level`);
      }
      children(node, path, problems).forEach((c, i) => {
        if (!INLINES.has(String(c.type))) problems.push(`${path}.content[${i}] is not inline`);
        checkNode(c, `${path}.content[${i}]`, problems);
      });
      return;
    }
    case 'bulletList':
    case 'orderedList': {
      const items = children(node, path, problems);
      if (items.length === 0) problems.push(`${path} empty list`);
      items.forEach((item, i) => {
        if (item.type !== 'listItem') problems.push(`${path}.content[${i}] is not listItem`);
        const first = children(item, `${path}.content[${i}]`, problems)[0];
        if (first?.type !== 'paragraph') problems.push(`${path}.content[${i}] does not start with a paragraph`);
        children(item, path, []).forEach((c, j) => checkNode(c, `${path}.content[${i}].content[${j}]`, problems));
      });
      return;
    }
    case 'table':
      children(node, path, problems).forEach((row, r) => {
        if (row.type !== 'tableRow') problems.push(`${path} row ${r} is ${String(row.type)}`);
        const cells = children(row, `${path}.row${r}`, problems);
        if (cells.length === 0) problems.push(`${path} row ${r} has no cells`);
        cells.forEach((cell, c) => {
          if (cell.type !== 'tableCell' && cell.type !== 'tableHeader') problems.push(`${path} cell ${r}/${c} bad type`);
          const blocks = children(cell, `${path}.cell${r}/${c}`, problems);
          if (blocks.length === 0) problems.push(`${path} cell ${r}/${c} holds no block`);
          blocks.forEach((b, k) => checkNode(b, `${path}.cell${r}/${c}[${k}]`, problems));
        });
      });
      return;
    default:
      problems.push(`${path} unexpected node type ${String(node.type)}`);
  }
}

function checkMarks(node: Json, path: string, problems: string[]): void {
  if (node.marks === undefined) return;
  const marks = node.marks as Json[];
  const types = marks.map((m) => m.type);
  if (types.includes('code') && (types.includes('strong') || types.includes('em'))) problems.push(`${path} code with strong/em`);
  for (const mark of marks) {
    if (mark.type === 'link' && typeof (mark.attrs as Json | undefined)?.href !== 'string') problems.push(`${path} link without href`);
  }
}

const SPECIAL = '-#*_+?^~|%{}[]()!@';

/** Problems that would let text turn into wiki markup: an unescaped special character, a stray backslash, a live URL. */
function wikiContentProblems(piece: string): string[] {
  const problems: string[] = [];
  for (let i = 0; i < piece.length; i += 1) {
    const ch = piece[i] ?? '';
    const entity = ch === '&' ? /^&(?:amp|#92|#58|#46);/.exec(piece.slice(i, i + 6)) : null;
    if (entity !== null) {
      i += entity[0].length - 1;
    } else if (ch === '&' && /^&#?[A-Za-z0-9]+;/.test(piece.slice(i))) {
      problems.push(`live entity in ${JSON.stringify(piece)}`);
    } else if (ch === '\\') {
      if (!SPECIAL.includes(piece[i + 1] ?? '')) problems.push(`stray backslash in ${JSON.stringify(piece)}`);
      i += 1;
    } else if (SPECIAL.includes(ch)) {
      problems.push(`unescaped ${ch} in ${JSON.stringify(piece)}`);
    }
  }
  if (/^\s*(h[1-6]|bq)\./i.test(piece)) problems.push(`line-start markup in ${JSON.stringify(piece)}`);
  if (/:\/\/|mailto:/i.test(piece)) problems.push(`live link in ${JSON.stringify(piece)}`);
  if (/:[dp]/i.test(piece)) problems.push(`emoticon in ${JSON.stringify(piece)}`);
  return problems;
}

const LINE_FORMS: Array<[RegExp, (m: RegExpMatchArray) => string[]]> = [
  [/^h[23]\. (.*)$/, (m) => [m[1] ?? '']],
  [/^\* \*([^*]+):\* (.*)$/, (m) => [m[2] ?? '']],
  [/^\* (.*)$/, (m) => [m[1] ?? '']],
  [/^\|\|(.*)\|\|$/, (m) => (m[1] ?? '').split('||')],
  [/^\|(.*)\|$/, (m) => (m[1] ?? '').split(/(?<!\\)\|/)],
  [/^\*([^*]+)\*$/, (m) => [m[1] ?? '']],
  [/^_(.*)_$/, (m) => [m[1] ?? '']],
  [/^\[([^|\]]+)\|[^\]\s]+\]$/, (m) => [m[1] ?? '']],
];

/**
 * Reads wiki markup written by the wiki renderer the way Jira would display it: strips the
 * markup the renderer writes (headings, bullets, bold labels, table pipes, notes, links), checks
 * that what remains is clean text (no live markup), and unescapes it. Lines join with `\n`, table cells with ` | `.
 */
export function wikiVisibleText(markup: string): { text: string; problems: string[] } {
  const problems: string[] = [];
  const lines = markup.split('\n').map((line) => {
    const form = LINE_FORMS.find(([pattern]) => pattern.test(line));
    const pieces = form === undefined ? [line] : form[1](line.match(form[0]) as RegExpMatchArray);
    for (const piece of pieces) problems.push(...wikiContentProblems(piece));
    return pieces.map(wikiUnescape).join(' | ');
  });
  return { text: lines.join('\n'), problems };
}

/** Headings (`h1.`–`h6.` in wiki, `== x ==`/`-- x --` in plain text) followed by nothing or by another heading. */
export function emptyHeadings(text: string, heading: RegExp): string[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.filter((line, i) => heading.test(line) && (i + 1 >= lines.length || heading.test(lines[i + 1] ?? '')));
}

export const WIKI_HEADING = /^h[1-6]\. /;
export const PLAIN_HEADING = /^(== .* ==|-- .* --)$/;
