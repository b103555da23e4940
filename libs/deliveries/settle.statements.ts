import type pg from 'pg';
import { SNOW_PRIORITIES, type TicketReference } from '@rhx/adapters';
import { fromStatusesSql, statusGuardSql, type DeliveryKind, type RiskLevel, type TargetSystem } from '@rhx/domain';
import { jsonRows, preparedStatement } from '@rhx/db';
import type { Lease } from './delivery-lease.js';

// How a run ends: the ticket made, the update added, a failure, a deferral, a skip, a supersession. Each
// is one statement (so one transaction), guarded by the transition table's statuses.

export type TicketHistory = { action: 'TICKET_CREATED' | 'TICKET_ADOPTED'; message: string; details: Record<string, unknown> };
export type TicketRecord = {
  d: { id: string; incidentId: string; attempt: number; generation: number };
  ref: TicketReference;
  history: TicketHistory;
  /** The level the ticket was made at (an adopted one: the level its attempt carried). */
  level: RiskLevel;
};

/** A delivery as a run ends it; `lease` when it ends under this run's lease. */
export interface SettledDelivery {
  id: string;
  incidentId: string;
  system: TargetSystem;
  lease?: Lease;
  /** What it does: its messages and history rows say so. */
  kind: DeliveryKind;
}

/** How each kind's failure reads in the history: the words after the system, and the row's action. */
export const NOT_DONE: Record<DeliveryKind, { words: string; action: string }> = {
  create: { words: 'ticket not created', action: 'TICKET_FAILED' },
  update: { words: 'ticket update not sent', action: 'UPDATE_FAILED' },
  resolve: { words: 'ticket not resolved', action: 'RESOLVE_FAILED' },
};

/** The failure as recorded on a delivery and its attempt. */
export interface RecordedFailure {
  code: string;
  message: string;
  outcome: 'FAILED' | 'UNKNOWN';
  httpStatus?: number;
}

// Only this run (its token), or any run when none holds a live lease (a failure before the lease was taken).
export const OWNER = (token: string) =>
  `CASE WHEN ${token}::uuid IS NULL THEN d.lease_until IS NULL OR d.lease_until <= now() ELSE d.lease_token = ${token}::uuid END`;
// An update that ends without reaching the ticket is no longer what the cadence gate waits for. One that
// FAILED may still have set its priority (Jira's update is two calls: the priority may land and the comment
// fail): its level stays as "may have reached the ticket" (`inflight_level` without a delivery), and the
// gate pushes a later change that differs from it or from what surely reached the ticket.
const CLEAR_INFLIGHT = (id: string, incident: string) =>
  `UPDATE ticket_refs SET inflight_delivery_id = NULL, inflight_level = NULL, inflight_at = NULL WHERE incident_id = ${incident} AND inflight_delivery_id = ${id}`;
// It may have, when an attempt's outcome is unknown, or in Jira, whose priority call comes before the comment.
const MAY_HAVE_REACHED = (id: string, outcome: string) =>
  `(${outcome} = 'UNKNOWN' OR system = 'jira' OR EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = ${id} AND a.outcome = 'UNKNOWN'))`;
const FAILED_INFLIGHT = (id: string, incident: string, outcome: string) =>
  `UPDATE ticket_refs SET inflight_delivery_id = NULL,
     inflight_level = CASE WHEN ${MAY_HAVE_REACHED(id, outcome)} THEN inflight_level END,
     inflight_at = CASE WHEN ${MAY_HAVE_REACHED(id, outcome)} THEN inflight_at END
   WHERE incident_id = ${incident} AND inflight_delivery_id = ${id}`;

// The ticket exists whoever holds the lease now, so it is recorded whatever the delivery's status (the
// `succeed` event starts from every status but SUCCEEDED); only the first reference per generation is kept.
const TICKET_SQL = `
WITH input AS (
  SELECT x.* FROM ${jsonRows('$1')} AS x(delivery_id uuid, incident_id text, attempt int, generation int, system text, external_id text,
    remote_id text, url text, action text, message text, details jsonb, level text, snow_priority text)
), ref AS (
  -- The create is the ticket's first push: the cadence gate counts from it, at the level it carried.
  INSERT INTO ticket_refs (incident_id, system, generation, external_id, remote_id, url, last_push_at, last_push_level)
  SELECT incident_id, system, generation, external_id, remote_id, url, now(), level FROM input ON CONFLICT DO NOTHING
  RETURNING incident_id, system, generation, external_id
), snow AS (
  UPDATE incidents i SET last_snow_update_at = now(), snow_last_priority = x.snow_priority
  FROM input x JOIN ref r USING (incident_id, system) WHERE i.id = x.incident_id AND x.system = 'servicenow'
), delivery AS (
  UPDATE deliveries d SET status = 'SUCCEEDED', last_error = NULL, last_error_code = NULL, next_attempt_at = NULL,
    lease_token = NULL, lease_until = NULL, updated_at = now()
  FROM input x WHERE d.id = x.delivery_id AND ${statusGuardSql('d.status', 'succeed')}
), attempt AS (
  UPDATE delivery_attempts a SET outcome = 'SUCCEEDED', finished_at = now()
  FROM input x WHERE a.delivery_id = x.delivery_id AND a.number = x.attempt
), history AS (
  -- One row per ticket recorded; the same ticket recorded again (a run resumed after another adopted
  -- it) adds nothing, and a different one (what the lease exists to prevent) is written down as such.
  INSERT INTO incident_history (incident_id, action, source, message, new_value)
  SELECT x.incident_id, x.action, 'ticket-push', x.message, x.details FROM input x JOIN ref r USING (incident_id, system)
  UNION ALL
  SELECT x.incident_id, 'TICKET_DUPLICATE', 'ticket-push',
    x.system || ' ticket ' || x.external_id || ' is a second ticket for this incident; ' || t.external_id || ' stays its reference', x.details
  FROM input x JOIN ticket_refs t USING (incident_id, system, generation) WHERE t.external_id <> x.external_id
)
SELECT x.delivery_id::text AS id, COALESCE(r.external_id, t.external_id, x.external_id) AS external_id,
  -- The level moved while the ticket was being made: the cadence gate has a late change to decide.
  (i.severity <> x.level AND EXISTS (SELECT 1 FROM incident_history h WHERE h.incident_id = x.incident_id AND h.action = 'RISK_CHANGED')) AS late
FROM input x JOIN incidents i ON i.id = x.incident_id
LEFT JOIN ref r USING (incident_id, system, generation)
LEFT JOIN ticket_refs t ON t.incident_id = x.incident_id AND t.system = x.system AND t.generation = x.generation`;
const RECORD_TICKETS = preparedStatement('rhx_delivery_tickets', TICKET_SQL);

/**
 * Records tickets of several pushes in one statement: reference, the delivery's success, its attempt, the
 * history row and ServiceNow's stamps.
 * @returns per item, the reference kept and whether the incident's level moved while the ticket was made.
 */
export async function recordTickets(pool: pg.Pool, items: TicketRecord[]): Promise<{ externalId: string; late: boolean }[]> {
  const input = items.map(({ d, ref, history, level }) => ({
    delivery_id: d.id, incident_id: d.incidentId, attempt: d.attempt, generation: d.generation, system: ref.system, external_id: ref.externalId,
    remote_id: ref.remoteId, url: ref.url, action: history.action, message: history.message, details: history.details,
    level, snow_priority: SNOW_PRIORITIES[level].priority,
  }));
  const { rows } = await pool.query<{ id: string; external_id: string; late: boolean }>(RECORD_TICKETS([JSON.stringify(input)]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return items.map(({ d, ref }) => {
    const row = byId.get(d.id);
    return { externalId: row?.external_id ?? ref.externalId, late: row?.late ?? false };
  });
}

// The `succeed` event of one run (delivery $1, attempt $3), as the first CTEs of its statement: the
// delivery and its attempt succeeded, the lease released.
export const SUCCEEDED_RUN = `WITH delivery AS (
  UPDATE deliveries d SET status = 'SUCCEEDED', last_error = NULL, last_error_code = NULL, next_attempt_at = NULL,
    lease_token = NULL, lease_until = NULL, updated_at = now()
  WHERE d.id = $1::uuid AND d.status = ANY(${fromStatusesSql('succeed')})
), attempt AS (
  UPDATE delivery_attempts SET outcome = 'SUCCEEDED', finished_at = now() WHERE delivery_id = $1::uuid AND number = $3
)`;

/**
 * An update's success: the delivery and its attempt, the `TICKET_UPDATED` history row, the cadence gate's
 * memory of what reached the ticket (and the in-flight mark cleared when it was this update's) and, for
 * ServiceNow, the incident's stamps, in one statement. The update was made whoever holds the lease now,
 * so it is recorded whatever the status.
 */
export async function recordUpdate(
  pool: pg.Pool,
  d: { id: string; incidentId: string; system: TargetSystem; attempt: number; generation: number },
  level: RiskLevel,
  history: { message: string; details: Record<string, unknown> },
  reopened = false,
): Promise<void> {
  await pool.query(
    `${SUCCEEDED_RUN}, gate AS (
       -- This update set the priority: it reached the ticket, and a failed one's "may have" is over too.
       UPDATE ticket_refs SET last_push_at = now(), last_push_level = $8,
         -- A reopened ticket is open again: polled again from a fresh baseline (its old state was read before the resolve).
         open = open OR $10::boolean, remote_state = CASE WHEN $10::boolean THEN NULL ELSE remote_state END,
         inflight_delivery_id = CASE WHEN inflight_delivery_id = $1::uuid THEN NULL ELSE inflight_delivery_id END,
         inflight_level = CASE WHEN inflight_delivery_id = $1::uuid OR inflight_delivery_id IS NULL THEN NULL ELSE inflight_level END,
         inflight_at = CASE WHEN inflight_delivery_id = $1::uuid OR inflight_delivery_id IS NULL THEN NULL ELSE inflight_at END
       WHERE incident_id = $2 AND system = $4 AND generation = $9
     ), old AS (
       -- Only a reopen reads (and locks) the incident: an ordinary update leaves its row alone.
       SELECT analyst_status FROM incidents WHERE id = $2 AND $10::boolean FOR UPDATE
     ), incident AS (
       -- A reopen brings the incident back: the analyst's status is NEW again.
       UPDATE incidents SET last_snow_update_at = CASE WHEN $4 = 'servicenow' THEN now() ELSE last_snow_update_at END,
         snow_last_priority = CASE WHEN $4 = 'servicenow' THEN $5 ELSE snow_last_priority END,
         analyst_status = CASE WHEN $10::boolean THEN 'NEW' ELSE analyst_status END
       WHERE id = $2 AND ($4 = 'servicenow' OR $10::boolean)
     )
     INSERT INTO incident_history (incident_id, action, source, message, old_value, new_value)
     SELECT $2, 'TICKET_UPDATED', 'ticket-push', $6, NULL, $7::jsonb
     UNION ALL
     SELECT $2, 'ANALYST_STATUS', 'ticket-push', 'analyst status set to NEW: the ' || $4 || ' ticket was reopened',
       jsonb_build_object('analystStatus', old.analyst_status), jsonb_build_object('analystStatus', 'NEW', 'reason', 'reopened')
     FROM old WHERE $10::boolean AND old.analyst_status IS DISTINCT FROM 'NEW'`,
    [d.id, d.incidentId, d.attempt, d.system, SNOW_PRIORITIES[level].priority, history.message, JSON.stringify(history.details), level, d.generation, reopened],
  );
}

// The `retry` (RETRY_WAIT) and `fail` (FAILED) events. Under a lease ($6) the run's own attempt row is
// completed; without one a finished attempt row is added. A failed update no longer holds the gate.
const FAILURE_SQL = (event: 'retry' | 'fail') => `
WITH delivery AS (
  UPDATE deliveries d SET status = $8::text, last_error = $4::text, last_error_code = $3::text, lease_token = NULL, lease_until = NULL,
    attempts = CASE WHEN $6::uuid IS NULL THEN d.attempts + 1 ELSE d.attempts END,
    next_attempt_at = CASE WHEN $12::int IS NULL THEN NULL ELSE now() + make_interval(secs => $12::int / 1000.0) END, updated_at = now()
  WHERE d.id = $1::uuid AND d.status = ANY(${fromStatusesSql(event)}) AND ${OWNER('$6')}
  RETURNING d.id, d.attempts, d.kind
), attempt AS (
  UPDATE delivery_attempts a SET outcome = $5::text, error = $4, code = $3, http_status = $11, wait_ms = $12, wait_reason = $13, finished_at = now()
  FROM delivery WHERE $6::uuid IS NOT NULL AND a.delivery_id = delivery.id AND a.number = $7::int
), added AS (
  INSERT INTO delivery_attempts (delivery_id, number, outcome, error, code, http_status, wait_ms, wait_reason, finished_at)
  SELECT id, attempts, $5, $4, $3, $11, $12, $13, now() FROM delivery WHERE $6::uuid IS NULL
), gate AS (
  ${FAILED_INFLIGHT('$1::uuid', '$2::text', '$5::text')} AND $8::text = 'FAILED' AND EXISTS (SELECT 1 FROM delivery)
), history AS (
  INSERT INTO incident_history (incident_id, action, source, message, new_value)
  SELECT $2::text, $14::text, 'ticket-push', $9::text, $10::jsonb FROM delivery
)
SELECT EXISTS (SELECT 1 FROM delivery) AS written`;

/**
 * Records a failure on the delivery and its attempt with a history row, and releases the lease:
 * RETRY_WAIT due in `waitMs` when another attempt follows, else FAILED.
 * @returns false when nothing was written because another run owns the delivery.
 */
export async function recordFailure(
  pool: pg.Pool,
  d: SettledDelivery,
  failure: RecordedFailure,
  next: { waitMs: number; reason: string } | undefined,
): Promise<boolean> {
  const status = next ? 'RETRY_WAIT' : 'FAILED';
  const retrying = next ? `; attempt ${next.waitMs / 1000} s later (${next.reason})` : '';
  const { rows } = await pool.query<{ written: boolean }>(FAILURE_SQL(next ? 'retry' : 'fail'), [
    d.id, d.incidentId, failure.code, failure.message, failure.outcome, d.lease?.token ?? null, d.lease?.attempt ?? null, status,
    `${d.system} ${NOT_DONE[d.kind].words}: ${failure.message}${retrying}`,
    JSON.stringify({ system: d.system, deliveryId: d.id, attempt: d.lease?.attempt ?? null, code: failure.code, ...(next ?? {}) }),
    failure.httpStatus ?? null, next?.waitMs ?? null, next?.reason ?? null, NOT_DONE[d.kind].action,
  ]);
  return rows[0]?.written ?? false;
}

/**
 * The `defer` event: RETRY_WAIT for `waitMs` without spending an attempt (the request was never sent).
 * Under a lease its STARTED attempt is taken back; without one, attempts a vanished run left STARTED are
 * marked UNKNOWN (the wait is for them to settle).
 */
export async function defer(pool: pg.Pool, d: SettledDelivery, waitMs: number): Promise<boolean> {
  const { rows } = await pool.query<{ written: boolean }>(
    `WITH delivery AS (
       UPDATE deliveries d SET status = 'RETRY_WAIT', lease_token = NULL, lease_until = NULL, updated_at = now(),
         attempts = CASE WHEN $2::uuid IS NULL THEN d.attempts ELSE d.attempts - 1 END,
         next_attempt_at = now() + make_interval(secs => $4::int / 1000.0)
       WHERE d.id = $1::uuid AND d.status = ANY(${fromStatusesSql('defer')}) AND ${OWNER('$2')}
       RETURNING d.id
     ), unsent AS (
       DELETE FROM delivery_attempts a USING delivery WHERE $2::uuid IS NOT NULL AND a.delivery_id = delivery.id AND a.number = $3::int
     ), unknown AS (
       UPDATE delivery_attempts a SET outcome = 'UNKNOWN', finished_at = now(),
         error = 'its run stopped before the attempt ended (lease expired); the work may have been done'
       FROM delivery WHERE $2::uuid IS NULL AND a.delivery_id = delivery.id AND a.outcome = 'STARTED'
     )
     SELECT EXISTS (SELECT 1 FROM delivery) AS written`,
    [d.id, d.lease?.token ?? null, d.lease?.attempt ?? null, Math.max(0, Math.round(waitMs))],
  );
  return rows[0]?.written ?? false;
}

/**
 * The `skip` (target not ready: `reason` is its code) and `supersede` (a newer update of the ticket exists)
 * events: SKIPPED with a history row. Attempts a vanished run left STARTED become UNKNOWN (a re-drive of a
 * create then looks for the ticket first), and a skipped update no longer holds the cadence gate.
 */
export async function recordSkip(
  pool: pg.Pool,
  event: 'skip' | 'supersede',
  d: SettledDelivery,
  reason: string,
  message: string,
): Promise<boolean> {
  const { rows } = await pool.query<{ written: boolean }>(
    `WITH delivery AS (
       UPDATE deliveries d SET status = 'SKIPPED', last_error = $4::text, last_error_code = $3::text, lease_token = NULL, lease_until = NULL,
         next_attempt_at = NULL, updated_at = now()
       WHERE d.id = $1::uuid AND d.status = ANY(${fromStatusesSql(event)}) AND ${OWNER('$6')}
         AND ($7::text = 'skip' OR d.kind = 'update')
       RETURNING d.id
     ), unknown AS (
       UPDATE delivery_attempts a SET outcome = CASE WHEN a.number = $8::int THEN 'FAILED' ELSE 'UNKNOWN' END, finished_at = now(),
         error = CASE WHEN a.number = $8::int THEN $4::text ELSE 'its run stopped before the attempt ended (lease expired); the work may have been done' END
       FROM delivery WHERE a.delivery_id = delivery.id AND a.outcome = 'STARTED'
     ), gate AS (
       ${CLEAR_INFLIGHT('$1::uuid', '$2::text')} AND EXISTS (SELECT 1 FROM delivery)
     ), history AS (
       INSERT INTO incident_history (incident_id, action, source, message, new_value)
       SELECT $2::text, CASE WHEN $7::text = 'skip' THEN 'TICKET_SKIPPED' ELSE 'UPDATE_SUPERSEDED' END, 'ticket-push', $4::text, $5::jsonb FROM delivery
     )
     SELECT EXISTS (SELECT 1 FROM delivery) AS written`,
    [d.id, d.incidentId, reason, message, JSON.stringify({ system: d.system, deliveryId: d.id, reason }), d.lease?.token ?? null, event, d.lease?.attempt ?? null],
  );
  return rows[0]?.written ?? false;
}
