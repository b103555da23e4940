/**
 * The one normalisation every renderer applies to text that comes from an incident, so that Jira
 * Cloud, Jira Data Center and ServiceNow all show the same visible text:
 *
 * - Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) become
 *   the visible escape `[U+202E]`. Left in place they silently reorder the text around them (a
 *   right-to-left override makes `exe.txt` read as `txt.exe`), so showing them is the safe choice.
 * - Other control characters (C0 except tab and line breaks, DEL, C1) and lone surrogates become
 *   U+FFFD. Replacing rather than removing keeps their presence visible and means removal can
 *   never join two harmless halves into something meaningful (`[co\u0000de]` must not become `[code]`).
 * - Line breaks (CR, LF, CRLF, NEL, U+2028, U+2029): in inline values (names, table cells) a run
 *   of them becomes one space; in multi-line text (notes) each becomes `\n`.
 */

const BREAKS = /(?:\r\n|[\r\n\u0085\u2028\u2029])+/g;
const MULTILINE_BREAK = /\r\n|[\r\u0085\u2028\u2029]/g;
const UNSAFE =
  /[\u202A-\u202E\u2066-\u2069]|[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SUMMARY_SPACE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

/** Longest inline value (name, rule, driver…) shown before it is cut with "…"; notes are budgeted instead. */
export const MAX_INLINE_CHARS = 1_000;

function escapeUnsafe(ch: string): string {
  const code = ch.charCodeAt(0);
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
    return `[U+${code.toString(16).toUpperCase()}]`;
  }
  return '\uFFFD';
}

/** Incident text for one line: line breaks → one space, bidi controls → `[U+XXXX]`, other controls → U+FFFD. */
export function normaliseInline(text: string): string {
  return text.replace(BREAKS, ' ').replace(UNSAFE, escapeUnsafe);
}

/** Incident text that may span lines (notes): line breaks → `\n`, otherwise as {@link normaliseInline}. */
export function normaliseMultiline(text: string): string {
  return text.replace(MULTILINE_BREAK, '\n').replace(UNSAFE, escapeUnsafe);
}

/** One line for a ticket summary: every control character and line break → a space, runs collapsed, trimmed. */
export function normaliseSummaryText(text: string): string {
  return text.replace(SUMMARY_SPACE, ' ').replace(UNSAFE, escapeUnsafe).replace(/ {2,}/g, ' ').trim();
}

/** `end` moved back by one when it would split a surrogate pair. */
export function codePointSafeEnd(text: string, end: number): number {
  if (end <= 0) return 0;
  if (end >= text.length) return text.length;
  const before = text.charCodeAt(end - 1);
  const after = text.charCodeAt(end);
  const splitsPair = before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
  return splitsPair ? end - 1 : end;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` when it fits in `maxUnits` UTF-16 code units; otherwise its longest prefix of whole
 * grapheme clusters followed by `ellipsis`, the whole result at most `maxUnits` long.
 */
export function cutToLength(text: string, maxUnits: number, ellipsis = '…'): string {
  if (text.length <= maxUnits) return text;
  const room = maxUnits - ellipsis.length;
  if (room < 0) return '';
  let end = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (end + segment.length > room) break;
    end += segment.length;
  }
  return text.slice(0, end) + ellipsis;
}
