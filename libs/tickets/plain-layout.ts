/**
 * Plain-text layout for text read in a fixed-width field (a case description, a work note):
 * aligned label/value pairs, aligned tables, wrapped name lists. No markup of any kind.
 */

/** Widest a column is padded to; a longer cell stays whole and pushes the rest of its row right. */
export const MAX_PADDED_WIDTH = 40;
/** Width at which a comma-joined list of names wraps (never inside a name). */
export const WRAP_WIDTH = 100;

const NUMERIC = /^[\d,.]+%?$/;

function width(text: string): number {
  // Code points, not UTF-16 units: an astral character takes one column in a fixed-width font.
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

function padEnd(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

function padStart(text: string, to: number): string {
  return ' '.repeat(Math.max(0, to - width(text))) + text;
}

/** `Label:   value` lines, values starting in one column. */
export function alignedFields(fields: ReadonlyArray<{ label: string; value: string }>): string {
  const labelWidth = Math.max(0, ...fields.map((f) => width(f.label) + 1));
  return fields.map((f) => `${padEnd(`${f.label}:`, labelWidth)}  ${f.value}`).join('\n');
}

/**
 * A table with a header, a rule of dashes under each column heading and one line per row. Columns
 * are two spaces apart and padded to their widest cell (at most {@link MAX_PADDED_WIDTH}); numeric
 * columns are right-aligned; the last column is never padded, so free text belongs there.
 */
export function alignedTable(columns: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const last = columns.length - 1;
  const widths = columns.map((heading, c) =>
    Math.min(MAX_PADDED_WIDTH, Math.max(width(heading), ...rows.map((row) => width(row[c] ?? '')))),
  );
  const numeric = columns.map((_, c) => rows.length > 0 && rows.every((row) => NUMERIC.test(row[c] ?? '')));
  const line = (cells: readonly string[], header: boolean): string =>
    cells
      .map((text, c) => {
        if (c === last) return text;
        const w = widths[c] ?? 0;
        return numeric[c] && !header ? padStart(text, w) : padEnd(text, w);
      })
      .join('  ')
      .trimEnd();
  const rule = columns.map((heading, c) => '-'.repeat(c === last ? width(heading) : (widths[c] ?? 0)));
  return [line(columns, true), rule.join('  '), ...rows.map((row) => line(columns.map((_, c) => row[c] ?? ''), false))].join('\n');
}

/** Names joined by `, ` on lines of at most {@link WRAP_WIDTH} columns (a longer name gets a line of its own). */
export function wrappedNames(names: readonly string[], indent = '  '): string {
  const lines: string[] = [];
  let current = '';
  names.forEach((name, i) => {
    const piece = i < names.length - 1 ? `${name},` : name;
    if (current !== '' && width(indent + current) + 1 + width(piece) > WRAP_WIDTH) {
      lines.push(indent + current);
      current = piece;
    } else {
      current = current === '' ? piece : `${current} ${piece}`;
    }
  });
  if (current !== '') lines.push(indent + current);
  return lines.join('\n');
}

/** Items one per line after `marker(i)`; continuation lines of a multi-line item are indented under it. */
export function markedItems(items: readonly string[], marker: (index: number) => string): string {
  return items
    .map((item, i) => {
      const head = marker(i);
      return head + item.split('\n').join(`\n${' '.repeat(width(head))}`);
    })
    .join('\n');
}
