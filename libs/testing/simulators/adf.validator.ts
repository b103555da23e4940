/**
 * A strict-enough check of Atlassian Document Format, covering the rules `specs/jira-rest.md`
 * says adapters break: `version: 1`, non-empty text nodes, heading levels, lists with at least
 * one `listItem` whose first child is a paragraph, tables whose every cell holds a block, and
 * `code` never combined with `strong`/`em`. Returns the first problem, or null when valid.
 */
export function adfProblem(doc: unknown): string | null {
  if (!isNode(doc) || doc.type !== 'doc') return 'root must be {"type": "doc"}';
  if (doc.version !== 1) return 'version must be 1';
  return checkChildren(doc, 'doc', BLOCKS, 0);
}

type Node = { type: string; [key: string]: unknown };

const INLINE = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'status', 'date']);
const BLOCKS = new Set([
  'paragraph', 'heading', 'bulletList', 'orderedList', 'table', 'codeBlock', 'blockquote', 'rule', 'panel', 'expand',
]);
const MARKS = new Set(['strong', 'em', 'code', 'link', 'strike', 'underline', 'subsup', 'textColor']);

interface Rule {
  children: ReadonlySet<string>;
  min: number;
}

const RULES: Record<string, Rule> = {
  paragraph: { children: INLINE, min: 0 },
  heading: { children: INLINE, min: 0 },
  bulletList: { children: new Set(['listItem']), min: 1 },
  orderedList: { children: new Set(['listItem']), min: 1 },
  listItem: { children: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']), min: 1 },
  table: { children: new Set(['tableRow']), min: 1 },
  tableRow: { children: new Set(['tableHeader', 'tableCell']), min: 1 },
  tableHeader: { children: BLOCKS, min: 1 },
  tableCell: { children: BLOCKS, min: 1 },
  codeBlock: { children: new Set(['text']), min: 0 },
  blockquote: { children: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']), min: 1 },
  panel: { children: new Set(['paragraph', 'heading', 'bulletList', 'orderedList']), min: 1 },
  expand: { children: BLOCKS, min: 1 },
};

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function checkChildren(node: Node, where: string, allowed: ReadonlySet<string>, min: number): string | null {
  const content = node.content ?? [];
  if (!Array.isArray(content)) return `${where}: content must be an array`;
  if (content.length < min) return `${where}: ${node.type} needs at least ${min} child node(s)`;
  for (const [i, child] of content.entries()) {
    const at = `${where}.content[${i}]`;
    if (!isNode(child)) return `${at}: not a node`;
    if (!allowed.has(child.type)) return `${at}: ${child.type} is not allowed in ${node.type}`;
    const problem = checkNode(child, at);
    if (problem) return problem;
  }
  return null;
}

function checkNode(node: Node, where: string): string | null {
  if (node.type === 'text') return checkText(node, where);
  if (node.type === 'heading') {
    const level = (node.attrs as { level?: unknown } | undefined)?.level;
    if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > 6) return `${where}: heading needs attrs.level 1-6`;
  }
  if (node.type === 'listItem') {
    const first = (node.content as unknown[] | undefined)?.[0];
    if (!isNode(first) || first.type !== 'paragraph') return `${where}: a listItem's first child must be a paragraph`;
  }
  const rule = RULES[node.type];
  return rule ? checkChildren(node, where, rule.children, rule.min) : null;
}

function checkText(node: Node, where: string): string | null {
  if (typeof node.text !== 'string' || node.text === '') return `${where}: text must be a non-empty string`;
  const marks = node.marks ?? [];
  if (!Array.isArray(marks)) return `${where}: marks must be an array`;
  const types = marks.map((m) => (isNode(m) ? m.type : '?'));
  const unknown = types.find((t) => !MARKS.has(t));
  if (unknown) return `${where}: unknown mark ${unknown}`;
  if (types.includes('code') && (types.includes('strong') || types.includes('em'))) return `${where}: code cannot be combined with strong or em`;
  const link = marks.find((m) => isNode(m) && m.type === 'link') as Node | undefined;
  if (link && typeof (link.attrs as { href?: unknown } | undefined)?.href !== 'string') return `${where}: link needs attrs.href`;
  return null;
}
