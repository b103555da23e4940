import type pg from 'pg';
import { CLOSING_STATUSES, OPENED_STATUS, statusesSql, UNFINISHED_STATUSES, type AnalystStatusChange, type Operator, type TargetSystem } from '@rhx/domain';

// The statements that open resolve deliveries: an analyst's close (here, with the status itself) and a
// close the sync cycle read from a ticket (inside its own change statement, with the same fragment).

/** A resolve delivery just opened, to be queued. */
export interface OpenedResolve {
  id: string;
  system: TargetSystem;
}

/** `$n = ANY(closing statuses)` in SQL. */
export const isClosingSql = (status: string) => `${status} = ANY(ARRAY[${CLOSING_STATUSES.map((s) => `'${s}'`).join(', ')}])`;

/**
 * The resolve deliveries of one close, as a statement's data-modifying CTE: one per live, open ticket of
 * the incident in the `systems` (those whose lifecycle resolves), carrying the history row `cause.id`
 * (`cause` names a CTE or table with one row), unless a resolve of that ticket is still unfinished. A
 * resolved ticket (not open) gets none: in particular the one whose own resolve the sync just read, so
 * nothing echoes back to it (`exceptTicket` names that ticket's row where the statement itself closes it:
 * a CTE reads the rows as they were before the statement).
 */
export function openResolvesSql(cause: string, incident: string, systems: string, trigger: string, exceptTicket = 'NULL'): string {
  return `INSERT INTO deliveries (id, incident_id, system, trigger, kind, generation, risk_change_id, status, updated_at)
  SELECT gen_random_uuid(), t.incident_id, t.system, ${trigger}, 'resolve', t.generation, c.id, '${OPENED_STATUS}', now()
  FROM ${cause} c JOIN ticket_refs t ON t.incident_id = ${incident} AND t.open AND t.retired_at IS NULL AND t.system = ANY(${systems}::text[])
  WHERE t.id IS DISTINCT FROM ${exceptTicket} AND NOT EXISTS (SELECT 1 FROM deliveries r WHERE r.incident_id = t.incident_id AND r.system = t.system AND r.generation = t.generation
    AND r.kind = 'resolve' AND r.status = ANY(${statusesSql(UNFINISHED_STATUSES)}))
  ON CONFLICT DO NOTHING RETURNING id::text, system`;
}

// One statement: the status, its history row and, for a close, the resolves. The row is written when the
// status moves or a note comes with it; the same status again without a note changes nothing.
const ANALYST_STATUS_SQL = `
WITH old AS (SELECT id, analyst_status FROM incidents WHERE id = $1 FOR UPDATE),
upd AS (
  UPDATE incidents i SET analyst_status = $2, updated_at = now() FROM old
  WHERE i.id = old.id AND old.analyst_status IS DISTINCT FROM $2 RETURNING i.id
), hist AS (
  INSERT INTO incident_history (incident_id, action, source, message, old_value, new_value, actor_kind, actor)
  SELECT old.id, 'ANALYST_STATUS', $3, $4, jsonb_build_object('analystStatus', old.analyst_status),
         jsonb_strip_nulls(jsonb_build_object('analystStatus', $2::text, 'note', $5::text)), $7::text, $8::text
  FROM old WHERE old.analyst_status IS DISTINCT FROM $2 OR $5::text IS NOT NULL
  RETURNING id
), audit AS (
  -- An operator's status only (a ticket closed in the remote, seen by the sync, is nobody's action here).
  INSERT INTO audit_events (actor_kind, actor, action, target, incident_id, details)
  SELECT $7::text, $8::text, 'ANALYST_STATUS_SET', old.id, old.id,
         jsonb_build_object('from', old.analyst_status, 'to', $2::text, 'note', $5::text IS NOT NULL)
  FROM old JOIN hist ON true WHERE $7::text IS NOT NULL
), resolves AS (
  ${openResolvesSql('hist', '$1', `(CASE WHEN ${isClosingSql('$2::text')} THEN $6::text[] ELSE '{}'::text[] END)`, `'close'`)}
)
SELECT analyst_status AS previous, COALESCE((SELECT json_agg(json_build_object('id', id, 'system', system)) FROM resolves), '[]') AS resolves FROM old`;

/**
 * Records an analyst's status for an incident, with a history row (`ANALYST_STATUS`, the old and new
 * status and the note); a closing status opens the resolves of the incident's open tickets in
 * `resolving` (the systems whose lifecycle resolves), all in one statement.
 * @returns the status before and the resolves opened, or null when the incident is not known.
 */
export async function recordAnalystStatus(
  pool: pg.Pool, incidentId: string, change: AnalystStatusChange, source: string, resolving: readonly TargetSystem[], operator?: Operator,
): Promise<{ previous: string; resolves: OpenedResolve[] } | null> {
  const message = `analyst status set to ${change.analystStatus}${change.note ? ` with a note` : ''}`;
  const { rows } = await pool.query<{ previous: string; resolves: OpenedResolve[] }>(ANALYST_STATUS_SQL, [
    incidentId, change.analystStatus, source, message, change.note ?? null, resolving, operator?.kind ?? null, operator?.name ?? null,
  ]);
  return rows[0] ?? null;
}
