import type { AnalystStatusChange } from '@rhx/domain';
import { poolOf, type PrismaClient } from './client.js';

// One statement: the status and its history row together. The row is written when the status moves or a
// note comes with it; the same status again without a note changes nothing.
const SET_ANALYST_STATUS = `
WITH old AS (SELECT id, analyst_status FROM incidents WHERE id = $1 FOR UPDATE),
upd AS (
  UPDATE incidents i SET analyst_status = $2, updated_at = now() FROM old
  WHERE i.id = old.id AND old.analyst_status IS DISTINCT FROM $2 RETURNING i.id
), hist AS (
  INSERT INTO incident_history (incident_id, action, source, message, old_value, new_value)
  SELECT old.id, 'ANALYST_STATUS', $3, $4, jsonb_build_object('analystStatus', old.analyst_status),
         jsonb_strip_nulls(jsonb_build_object('analystStatus', $2::text, 'note', $5::text))
  FROM old WHERE old.analyst_status IS DISTINCT FROM $2 OR $5::text IS NOT NULL
)
SELECT analyst_status AS previous FROM old`;

/**
 * Records an analyst's status for an incident, with a history row (`ANALYST_STATUS`, the old and new
 * status and the note). @returns the status before, or null when the incident is not known.
 */
export async function setAnalystStatus(prisma: PrismaClient, incidentId: string, change: AnalystStatusChange, source: string): Promise<{ previous: string } | null> {
  const message = `analyst status set to ${change.analystStatus}${change.note ? ` with a note` : ''}`;
  const { rows } = await poolOf(prisma).query<{ previous: string }>(SET_ANALYST_STATUS, [incidentId, change.analystStatus, source, message, change.note ?? null]);
  return rows[0] ?? null;
}
