import type pg from 'pg';
import { fromStatusesSql, type TargetSystem } from '@rhx/domain';
import { OWNER, SUCCEEDED_RUN, type SettledDelivery } from './settle.statements.js';

// How a lifecycle run ends: a ticket resolved, or a rise that found its ticket closed for good. Each is
// one statement, guarded by the transition table's statuses, as the other ends of a run (settle.statements.ts).

/**
 * A resolve's success: the delivery and its attempt, the ticket no longer open (the sync cycle stops
 * reading it, so the resolve is never read back as someone's action) and the `TICKET_RESOLVED` history
 * row, in one statement. Recorded whatever the status: the remote did it.
 */
export async function recordResolve(
  pool: pg.Pool,
  d: { id: string; incidentId: string; system: TargetSystem; attempt: number; generation: number },
  history: { message: string; details: Record<string, unknown> },
): Promise<void> {
  await pool.query(
    `${SUCCEEDED_RUN}, ticket AS (
       UPDATE ticket_refs SET open = false WHERE incident_id = $2 AND system = $4 AND generation = $5
     )
     INSERT INTO incident_history (incident_id, action, source, message, new_value) VALUES ($2, 'TICKET_RESOLVED', 'ticket-push', $6, $7::jsonb)`,
    [d.id, d.incidentId, d.attempt, d.system, d.generation, history.message, JSON.stringify(history.details)],
  );
}

/**
 * A rise that found its ticket closed for good (read-only, as a ServiceNow incident in state 7): the
 * update is skipped (`TICKET_CLOSED`, the `skip` event under this run's lease) and, with `followUp`, the
 * ticket is retired (`closed`), the create of the next generation opened (`trigger` reopen) and the
 * incident's analyst status set back to NEW, in one statement.
 * @returns whether it was written, and the follow-up create's id to queue.
 */
export async function recordClosedTicket(
  pool: pg.Pool,
  d: SettledDelivery & { generation: number },
  followUp: boolean,
  message: string,
): Promise<{ written: boolean; followUpId: string | null }> {
  const { rows } = await pool.query<{ written: boolean; follow_up: string | null }>(
    `WITH delivery AS (
       UPDATE deliveries d SET status = 'SKIPPED', last_error = $4::text, last_error_code = 'TICKET_CLOSED', lease_token = NULL, lease_until = NULL,
         next_attempt_at = NULL, updated_at = now()
       WHERE d.id = $1::uuid AND d.status = ANY(${fromStatusesSql('skip')}) AND ${OWNER('$5')}
       RETURNING d.id
     ), attempt AS (
       UPDATE delivery_attempts a SET outcome = 'FAILED', code = 'TICKET_CLOSED', error = $4::text, finished_at = now()
       FROM delivery WHERE a.delivery_id = delivery.id AND a.outcome = 'STARTED'
     ), ticket AS (
       -- One write of the ticket's row: the gate's in-flight mark cleared and, for a follow-up, retired.
       UPDATE ticket_refs t SET
         inflight_delivery_id = CASE WHEN t.inflight_delivery_id = $1::uuid THEN NULL ELSE t.inflight_delivery_id END,
         inflight_level = CASE WHEN t.inflight_delivery_id = $1::uuid THEN NULL ELSE t.inflight_level END,
         inflight_at = CASE WHEN t.inflight_delivery_id = $1::uuid THEN NULL ELSE t.inflight_at END,
         retired_at = CASE WHEN $6::boolean THEN now() ELSE t.retired_at END,
         retired_reason = CASE WHEN $6::boolean THEN 'closed' ELSE t.retired_reason END, open = t.open AND NOT $6::boolean
       FROM delivery WHERE t.incident_id = $2 AND t.system = $3 AND t.generation = $7 AND t.retired_at IS NULL
       RETURNING t.generation, t.retired_at IS NOT NULL AS retired
     ), opened AS (
       INSERT INTO deliveries (id, incident_id, system, trigger, kind, generation, status, updated_at)
       SELECT gen_random_uuid(), $2, $3, 'reopen', 'create', generation + 1, 'PENDING', now() FROM ticket WHERE retired
       ON CONFLICT DO NOTHING RETURNING id
     ), old AS (
       SELECT analyst_status FROM incidents WHERE id = $2 FOR UPDATE
     ), status AS (
       UPDATE incidents i SET analyst_status = 'NEW', updated_at = now() FROM old
       WHERE i.id = $2 AND EXISTS (SELECT 1 FROM opened) AND old.analyst_status IS DISTINCT FROM 'NEW'
     ), history AS (
       INSERT INTO incident_history (incident_id, action, source, message, old_value, new_value)
       SELECT $2, 'TICKET_CLOSED', 'ticket-push', $4::text, NULL,
         jsonb_build_object('system', $3::text, 'deliveryId', $1::uuid, 'followUp', (SELECT id FROM opened)) FROM delivery
       UNION ALL
       SELECT $2, 'ANALYST_STATUS', 'ticket-push', 'analyst status set to NEW: a follow-up ' || $3 || ' ticket is made',
         jsonb_build_object('analystStatus', old.analyst_status), jsonb_build_object('analystStatus', 'NEW', 'reason', 'follow-up')
       FROM old WHERE EXISTS (SELECT 1 FROM opened) AND old.analyst_status IS DISTINCT FROM 'NEW'
     )
     SELECT EXISTS (SELECT 1 FROM delivery) AS written, (SELECT id::text FROM opened) AS follow_up`,
    [d.id, d.incidentId, d.system, message, d.lease?.token ?? null, followUp, d.generation],
  );
  return { written: rows[0]?.written ?? false, followUpId: rows[0]?.follow_up ?? null };
}
