/** One condition of a ServiceNow encoded query. */
export interface QueryTerm {
  field: string;
  op: '=' | '!=' | 'STARTSWITH' | 'LIKE';
  value: string;
}

/** A parsed encoded query: the conditions it keeps and its ordering. */
export interface EncodedQuery {
  terms: QueryTerm[];
  orderBy: { field: string; desc: boolean }[];
}

const CARET = '\u0000';

/**
 * Parses `sysparm_query` as the platform does for the operators the bridge uses. Like the
 * platform, a term naming an unknown field, or one it cannot read, is silently dropped, so
 * `correlaton_id=x` matches every record (the reason adapters re-check what comes back).
 */
export function parseEncodedQuery(query: string, knownFields: ReadonlySet<string>): EncodedQuery {
  const parsed: EncodedQuery = { terms: [], orderBy: [] };
  const parts = query.replaceAll('^^', CARET).split('^').map((p) => p.replaceAll(CARET, '^'));
  for (const part of parts) {
    const order = /^ORDERBY(DESC)?(\w+)$/.exec(part);
    if (order) {
      if (knownFields.has(order[2] ?? '')) parsed.orderBy.push({ field: order[2] ?? '', desc: order[1] !== undefined });
      continue;
    }
    const term = /^(\w+?)(!=|=|STARTSWITH|LIKE)(.*)$/.exec(part);
    if (term && knownFields.has(term[1] ?? '')) {
      parsed.terms.push({ field: term[1] ?? '', op: term[2] as QueryTerm['op'], value: term[3] ?? '' });
    }
  }
  return parsed;
}

/** Whether a record satisfies every kept term. */
export function queryMatches(terms: readonly QueryTerm[], record: Readonly<Record<string, string>>): boolean {
  return terms.every(({ field, op, value }) => {
    const actual = record[field] ?? '';
    if (op === '=') return actual === value;
    if (op === '!=') return actual !== value;
    if (op === 'STARTSWITH') return actual.startsWith(value);
    return actual.toLowerCase().includes(value.toLowerCase());
  });
}

/** Records in query order (stable: equal keys keep their given order). */
export function orderRecords<T extends Readonly<Record<string, string>>>(records: readonly T[], orderBy: EncodedQuery['orderBy']): T[] {
  return [...records].sort((a, b) => {
    for (const { field, desc } of orderBy) {
      const cmp = (a[field] ?? '').localeCompare(b[field] ?? '');
      if (cmp !== 0) return desc ? -cmp : cmp;
    }
    return 0;
  });
}
