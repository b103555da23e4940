/**
 * Escaping of incident text for Jira Server / Data Center wiki markup (REST v2 descriptions).
 *
 * Jira's renderer (atlassian-renderer `BackslashEscapeRendererComponent`) honours a backslash
 * before exactly these characters: - # * _ + ? ^ ~ | % { } [ ] ( ) ! @ — which covers bold,
 * emphasis, strike, insert, super/subscript, citation, monospace, macros ({code}, {noformat},
 * {color}…), links, images, tables, list markers, mentions and emoticons such as (y) and :).
 * What a backslash cannot escape is written as an HTML entity, which that renderer passes through
 * unchanged (it preserves existing entities) and the browser shows as the character:
 * - `\` → `&#92;`, so no backslash from the incident can form a `\\` line break or an escape;
 * - `&` that starts an entity-like run (`&lt;`, `&#60;`) → `&amp;`, so it is shown, not decoded;
 * - `.` after `h1`–`h6` or `bq` at a line start → `&#46;`, so no heading or quote starts;
 * - `:` before `//` or after `mailto` → `&#58;`, so no URL turns into a link; before D or P → `&#58;`,
 *   so `:D` and `:P` stay text instead of emoticon images.
 * `<` and `>` need nothing: Jira HTML-escapes them itself.
 */
const WIKI_SPECIAL = /[-#*_+?^~|%{}[\]()!@]|\\|&(?=#?[A-Za-z0-9]+;)|:(?=\/\/|[DP])|(?<=mailto):|(?<=^[ \t]*(?:h[1-6]|bq))\./gim;

const ENTITY_FOR: Record<string, string> = { '\\': '&#92;', '&': '&amp;', ':': '&#58;', '.': '&#46;' };

function escapeOne(ch: string): string {
  return ENTITY_FOR[ch] ?? `\\${ch}`;
}

/**
 * Incident text as wiki markup that renders as exactly that text. Newlines are kept (notes); the
 * caller collapses them for single-line places such as table cells. Invariant:
 * `wikiUnescape(wikiEscape(s)) === s` for every string.
 */
export function wikiEscape(text: string): string {
  return text.replace(WIKI_SPECIAL, escapeOne);
}

const WIKI_ESCAPED = /\\([-#*_+?^~|%{}[\]()!@])|&(amp|#92|#58|#46);/g;
const CHAR_FOR: Record<string, string> = { amp: '&', '#92': '\\', '#58': ':', '#46': '.' };

/** The visible text of a string made by {@link wikiEscape} (its exact inverse). */
export function wikiUnescape(escaped: string): string {
  return escaped.replace(WIKI_ESCAPED, (_match, ch: string | undefined, entity: string | undefined) =>
    ch !== undefined ? ch : (CHAR_FOR[entity ?? ''] ?? ''),
  );
}

/**
 * A URL for the target of a wiki link `[label|url]`: characters that would end or split the link
 * (`|`, `]`, `[`, braces, spaces, `!`, `*`…) are percent-encoded; the URL still points to the same place.
 */
export function wikiEscapeUrl(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#@$&'+,;=%]/g, (ch) => encodeURIComponent(ch).replace(/[!'()*]/g, percent));
}

function percent(ch: string): string {
  return `%${ch.charCodeAt(0).toString(16).toUpperCase()}`;
}
