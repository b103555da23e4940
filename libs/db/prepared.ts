import type pg from 'pg';

/**
 * A named (prepared) statement: `pg` sends its text once per connection and PostgreSQL parses and plans it
 * once there, then each run only binds values. For the push path's large CTE statements parsing and
 * planning cost more than running them: measured on a database of 3,000 deliveries, the per-run load went
 * from ~0.9 ms to ~0.2 ms of backend CPU. Only for constant text: one name, one text, always.
 */
export function preparedStatement(name: string, text: string): (values: unknown[]) => pg.QueryConfig {
  return (values) => ({ name, text, values });
}

/**
 * The rows of a JSON array parameter, for `FROM ${jsonRows('$1')} AS x(col type, …)` in place of
 * `json_to_recordset($1::json) AS x(…)`. The planner takes any `json_to_recordset` for 100 rows, so it
 * joined a batch of a few items to whole tables by sequential scans and hash joins (a batch of tickets
 * recorded cost ~4.8 ms of backend CPU on 3,000 deliveries); an unnested array counts as 10 rows, and
 * the same statements use the tables' indexes (~0.6 ms). Select `x.*`, not `*` (which adds `j`).
 */
export function jsonRows(param: string): string {
  return `unnest(ARRAY(SELECT json_array_elements(${param}::json))) AS j(v), json_to_record(j.v)`;
}
