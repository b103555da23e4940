/** Reading the plain-text enriched description and work note the way a case reader sees them. */

/** Section titles of the enriched description, in the spec's order, as they are written (upper case). */
export const SPEC_ORDER = [
  'THREAT SUMMARY',
  'THREAT ANALYSIS',
  'INCIDENT OVERVIEW',
  'BLAST RADIUS',
  'DETECTED THREATS',
  'SAMPLE EVENTS PER RULE',
  'CAUSE OF RISK INCREMENT',
  'CONTRIBUTED SIEM TRIGGERS',
  'MITRE ATT&CK',
  'RECOMMENDED ACTIONS',
  'TIMELINE',
  'DEEP DIVE',
] as const;

/** Generic filler the spec forbids; matched case-insensitively. */
export const FORBIDDEN_PHRASES = [
  'monitor the situation',
  'follow best practices',
  'take appropriate action',
  'consider reviewing',
  'as needed',
  'if necessary',
];

export function forbiddenIn(text: string): string[] {
  const lower = text.toLowerCase();
  return FORBIDDEN_PHRASES.filter((phrase) => lower.includes(phrase));
}

function isHeading(lines: readonly string[], i: number): boolean {
  const line = lines[i] ?? '';
  const under = lines[i + 1] ?? '';
  return line !== '' && /^=+$/.test(under) && under.length === line.length;
}

/** Titles of the sections, in the order they appear. */
export function headings(text: string): string[] {
  const lines = text.split('\n');
  return lines.filter((_, i) => isHeading(lines, i));
}

/** Headings with nothing under them (end of text, a blank line, or another heading). */
export function emptySections(text: string): string[] {
  const lines = text.split('\n');
  return lines.filter((_, i) => isHeading(lines, i) && ((lines[i + 2] ?? '') === '' || isHeading(lines, i + 2)));
}

/** The body of one section: the lines after its underline, up to the next heading. */
export function sectionBody(text: string, title: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((_, i) => isHeading(lines, i) && lines[i] === title);
  if (start < 0) return '';
  let end = start + 2;
  while (end < lines.length && !isHeading(lines, end)) end += 1;
  return lines.slice(start + 2, end).join('\n').trim();
}

/** The lines of a list under `caption:` within a section body (up to the next blank line). */
export function captionedLines(body: string, caption: string): string[] {
  const lines = body.split('\n');
  const start = lines.indexOf(`${caption}:`);
  if (start < 0) return [];
  const out: string[] = [];
  for (let i = start + 1; i < lines.length && (lines[i] ?? '') !== ''; i += 1) out.push(lines[i] ?? '');
  return out;
}
