/** One `field = value` clause of a JQL query. */
export interface JqlClause {
  field: 'project' | 'labels' | 'key' | 'issuekey' | 'id';
  value: string;
}

const FIELDS = new Set<string>(['project', 'labels', 'key', 'issuekey', 'id']);
const CLAUSE = /^\s*([A-Za-z]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s"']+))\s*$/;

/**
 * Just enough JQL for the simulators: `field = value` clauses joined by `AND`, values bare or
 * quoted, an optional `ORDER BY …` (ignored). Anything else is Jira's 400 answer, as its message.
 */
export function parseJql(jql: string): { clauses: JqlClause[] } | { error: string } {
  const withoutOrder = jql.replace(/\s+ORDER\s+BY\s+.*$/i, '').trim();
  if (withoutOrder === '') return { clauses: [] };
  const clauses: JqlClause[] = [];
  for (const part of withoutOrder.split(/\s+AND\s+/i)) {
    const match = CLAUSE.exec(part);
    if (!match) return { error: `Error in the JQL Query: unable to parse '${part.trim()}'.` };
    const field = (match[1] ?? '').toLowerCase();
    if (!FIELDS.has(field)) return { error: `Field '${match[1]}' does not exist or you do not have permission to view it.` };
    const value = (match[2] ?? match[3] ?? match[4] ?? '').replace(/\\(.)/g, '$1');
    clauses.push({ field: field as JqlClause['field'], value });
  }
  return { clauses };
}

/** Whether an issue satisfies every clause (labels compare exactly, project by key). */
export function jqlMatches(
  clauses: readonly JqlClause[],
  issue: { id: string; key: string; projectKey: string; labels: readonly string[] },
): boolean {
  return clauses.every((c) => {
    if (c.field === 'project') return issue.projectKey.toUpperCase() === c.value.toUpperCase();
    if (c.field === 'labels') return issue.labels.includes(c.value);
    if (c.field === 'id') return issue.id === c.value;
    return issue.key === c.value.toUpperCase();
  });
}
