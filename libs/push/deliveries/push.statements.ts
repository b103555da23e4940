import type pg from 'pg';
import type { TicketReference } from '@rhx/adapters';
import { PRIORITY_MAPPING, type RiskLevel, type TargetSystem } from '@rhx/domain';
import type { RetryWait } from '@rhx/queue';
import type { PushFailure } from '../push-failure.js';
import type { Lease } from './delivery-lease.js';

// The statements one push runs: read the delivery, record its ticket, its failure, a deferral or a skip.

export type TicketHistory = { action: 'TICKET_CREATED' | 'TICKET_ADOPTED'; message: string; details: Record<string, unknown> };
export type TicketRecord = { d: { id: string; incidentId: string; attempt: number }; ref: TicketReference; history: TicketHistory; level: RiskLevel };

/** Payloads up to this size come with the first read; larger ones are read once memory is reserved. */
export const INLINE_PAYLOAD_BYTES = 64 * 1024;

/** What the push worker needs to know about a delivery before it takes the lease, in one read. */
export interface DeliveryForPush {
  id: string;
  incidentId: string;
  system: TargetSystem;
  status: string;
  /** '0' for the delivery that creates the ticket; else the risk change (history row id) whose update it adds. */
  riskChangeId: string;
  /** Attempts made so far, and before the current round (see `round_start`). */
  attempts: number;
  roundStart: number;
  hasTicket: boolean;
  /** Size of the stored incident as JSON text, what reading it costs in memory. */
  payloadBytes: number;
  /** The stored incident when it is at most {@link INLINE_PAYLOAD_BYTES}; otherwise read it with `loadPayload`. */
  payload?: unknown;
}

/** A delivery as a failure is recorded on it; `lease` when the failure happened under this run's lease. */
export interface FailedDelivery {
  id: string;
  incidentId: string;
  system: TargetSystem;
  lease?: Lease;
  /** The delivery adds an update to an existing ticket (a risk change) rather than creating one. */
  update?: boolean;
}

export async function loadForPush(pool: pg.Pool, deliveryId: string): Promise<DeliveryForPush | undefined> {
  const { rows } = await pool.query<DeliveryForPush>(
    `SELECT d.id::text AS id, d.incident_id AS "incidentId", d.system, d.status, d.risk_change_id::text AS "riskChangeId", d.attempts, d.round_start AS "roundStart", s.bytes AS "payloadBytes",
       CASE WHEN s.bytes <= $2 THEN i.payload END AS payload,
       EXISTS (SELECT 1 FROM ticket_refs t WHERE t.incident_id = d.incident_id AND t.system = d.system) AS "hasTicket"
     FROM deliveries d JOIN incidents i ON i.id = d.incident_id CROSS JOIN LATERAL (SELECT octet_length(i.payload::text) AS bytes) s
     WHERE d.id = $1::uuid`,
    [deliveryId, INLINE_PAYLOAD_BYTES],
  );
  const row = rows[0];
  if (row && row.payload === null) delete row.payload;
  return row;
}

export async function loadPayload(pool: pg.Pool, incidentId: string): Promise<unknown> {
  const { rows } = await pool.query<{ payload: unknown }>(`SELECT payload FROM incidents WHERE id = $1`, [incidentId]);
  return rows[0]?.payload;
}

// The ticket exists whoever holds the lease now, so it is recorded unconditionally; only the first
// reference per (incident, system) is kept.
const TICKET_SQL = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json) AS x(delivery_id uuid, incident_id text, attempt int, system text, external_id text,
    remote_id text, url text, action text, message text, details jsonb, level text, snow_priority text)
), ref AS (
  -- The create is the ticket's first push: the cadence gate counts from it, at the level it carried.
  INSERT INTO ticket_refs (incident_id, system, external_id, remote_id, url, last_push_at, last_push_level)
  SELECT incident_id, system, external_id, remote_id, url, now(), level FROM input ON CONFLICT (incident_id, system) DO NOTHING
  RETURNING incident_id, system, external_id
), snow AS (
  UPDATE incidents i SET last_snow_update_at = now(), snow_last_priority = x.snow_priority
  FROM input x JOIN ref r USING (incident_id, system) WHERE i.id = x.incident_id AND x.system = 'servicenow'
), delivery AS (
  UPDATE deliveries d SET status = 'SUCCEEDED', last_error = NULL, last_error_code = NULL, next_attempt_at = NULL,
    lease_token = NULL, lease_until = NULL, updated_at = now()
  FROM input x WHERE d.id = x.delivery_id
), attempt AS (
  UPDATE delivery_attempts a SET outcome = 'SUCCEEDED', finished_at = now()
  FROM input x WHERE a.delivery_id = x.delivery_id AND a.number = x.attempt
)
, history AS (
  -- One row per ticket recorded; the same ticket recorded again (a run resumed after another adopted
  -- it) adds nothing, and a different one (what the lease exists to prevent) is written down as such.
  INSERT INTO incident_history (incident_id, action, source, message, new_value)
  SELECT x.incident_id, x.action, 'ticket-push', x.message, x.details FROM input x JOIN ref r USING (incident_id, system)
  UNION ALL
  SELECT x.incident_id, 'TICKET_DUPLICATE', 'ticket-push',
    x.system || ' ticket ' || x.external_id || ' is a second ticket for this incident; ' || t.external_id || ' stays its reference', x.details
  FROM input x JOIN ticket_refs t USING (incident_id, system) WHERE t.external_id <> x.external_id
)
SELECT incident_id, system, external_id FROM ref
UNION ALL
SELECT t.incident_id, t.system, t.external_id FROM ticket_refs t JOIN input x USING (incident_id, system)`;

/** Records tickets of several pushes in one statement. @returns per item, the reference kept. */
export async function recordTickets(pool: pg.Pool, items: TicketRecord[]): Promise<{ externalId: string }[]> {
  const input = items.map(({ d, ref, history, level }) => ({
    delivery_id: d.id, incident_id: d.incidentId, attempt: d.attempt, system: ref.system, external_id: ref.externalId,
    remote_id: ref.remoteId, url: ref.url, action: history.action, message: history.message, details: history.details,
    level, snow_priority: PRIORITY_MAPPING[level].servicenow.priority,
  }));
  const { rows } = await pool.query<{ incident_id: string; system: string; external_id: string }>(TICKET_SQL, [JSON.stringify(input)]);
  // Rows just inserted come first; an older reference (read from the snapshot) only when none was inserted.
  const kept = new Map<string, string>();
  for (const r of rows) if (!kept.has(`${r.incident_id}/${r.system}`)) kept.set(`${r.incident_id}/${r.system}`, r.external_id);
  return items.map(({ d, ref }) => ({ externalId: kept.get(`${d.incidentId}/${ref.system}`) ?? ref.externalId }));
}

// Under a lease ($6) the run's own attempt row is completed; without one a finished attempt row is added.
const FAILURE_SQL = `
WITH delivery AS (
  UPDATE deliveries SET status = $8, last_error = $4, last_error_code = $3, lease_token = NULL, lease_until = NULL,
    attempts = CASE WHEN $6::uuid IS NULL THEN attempts + 1 ELSE attempts END,
    next_attempt_at = CASE WHEN $12::int IS NULL THEN NULL ELSE now() + make_interval(secs => $12::int / 1000.0) END, updated_at = now()
  WHERE id = $1::uuid AND status IN ('PENDING', 'IN_PROGRESS', 'RETRY_WAIT')
    AND CASE WHEN $6::uuid IS NULL THEN lease_until IS NULL OR lease_until <= now() ELSE lease_token = $6::uuid END
  RETURNING id, attempts
), attempt AS (
  UPDATE delivery_attempts a SET outcome = $5, error = $4, code = $3, http_status = $11, wait_ms = $12, wait_reason = $13, finished_at = now()
  FROM delivery WHERE $6::uuid IS NOT NULL AND a.delivery_id = delivery.id AND a.number = $7::int
), added AS (
  INSERT INTO delivery_attempts (delivery_id, number, outcome, error, code, http_status, wait_ms, wait_reason, finished_at)
  SELECT id, attempts, $5, $4, $3, $11, $12, $13, now() FROM delivery WHERE $6::uuid IS NULL
), history AS (
  INSERT INTO incident_history (incident_id, action, source, message, new_value)
  SELECT $2, $14, 'ticket-push', $9, $10::jsonb FROM delivery
)
SELECT EXISTS (SELECT 1 FROM delivery) AS written`;

export async function recordFailure(pool: pg.Pool, d: FailedDelivery, failure: PushFailure, next: RetryWait | undefined): Promise<boolean> {
  const status = next ? 'RETRY_WAIT' : 'FAILED';
  const retrying = next ? `; attempt ${next.waitMs / 1000} s later (${next.reason})` : '';
  const { rows } = await pool.query<{ written: boolean }>(FAILURE_SQL, [
    d.id, d.incidentId, failure.code, failure.message, failure.outcome, d.lease?.token ?? null, d.lease?.attempt ?? null, status,
    `${d.system} ${d.update ? 'ticket update not sent' : 'ticket not created'}: ${failure.message}${retrying}`,
    JSON.stringify({ system: d.system, deliveryId: d.id, attempt: d.lease?.attempt ?? null, code: failure.code, ...(next ?? {}) }),
    failure.httpStatus ?? null, next?.waitMs ?? null, next?.reason ?? null, d.update ? 'UPDATE_FAILED' : 'TICKET_FAILED',
  ]);
  return rows[0]?.written ?? false;
}

export async function deferUnsent(pool: pg.Pool, d: FailedDelivery, lease: Lease | undefined, waitMs: number): Promise<boolean> {
  const { rows } = await pool.query<{ written: boolean }>(
    `WITH delivery AS (
       UPDATE deliveries SET status = 'RETRY_WAIT', lease_token = NULL, lease_until = NULL, updated_at = now(),
         attempts = CASE WHEN $2::uuid IS NULL THEN attempts ELSE attempts - 1 END,
         next_attempt_at = now() + make_interval(secs => $4::int / 1000.0)
       WHERE id = $1::uuid AND status IN ('PENDING', 'IN_PROGRESS', 'RETRY_WAIT')
         AND CASE WHEN $2::uuid IS NULL THEN lease_until IS NULL OR lease_until <= now() ELSE lease_token = $2::uuid END
       RETURNING id
     ), unsent AS (
       DELETE FROM delivery_attempts a USING delivery WHERE a.delivery_id = delivery.id AND a.number = $3::int
     )
     SELECT EXISTS (SELECT 1 FROM delivery) AS written`,
    [d.id, lease?.token ?? null, lease?.attempt ?? null, Math.max(0, Math.round(waitMs))],
  );
  return rows[0]?.written ?? false;
}

export async function recordSkip(pool: pg.Pool, d: { id: string; incidentId: string; system: TargetSystem }, reason: string, message: string): Promise<boolean> {
  const { rows } = await pool.query<{ written: boolean }>(
    `WITH delivery AS (
       UPDATE deliveries SET status = 'SKIPPED', last_error = $4, last_error_code = $3, lease_token = NULL, lease_until = NULL, updated_at = now()
       WHERE id = $1::uuid AND status IN ('PENDING', 'IN_PROGRESS') AND (lease_until IS NULL OR lease_until <= now())
       RETURNING id
     ), unknown AS (
       -- A run that died may have made the ticket: a later re-drive must look for it first.
       UPDATE delivery_attempts a SET outcome = 'UNKNOWN', finished_at = now(),
         error = 'its run stopped before the attempt ended (lease expired); the ticket may exist'
       FROM delivery WHERE a.delivery_id = delivery.id AND a.outcome = 'STARTED'
     ), history AS (
       INSERT INTO incident_history (incident_id, action, source, message, new_value)
       SELECT $2, 'TICKET_SKIPPED', 'ticket-push', $4, $5::jsonb FROM delivery
     )
     SELECT EXISTS (SELECT 1 FROM delivery) AS written`,
    [d.id, d.incidentId, reason, message, JSON.stringify({ system: d.system, deliveryId: d.id, reason })],
  );
  return rows[0]?.written ?? false;
}

/** What an update delivery sends: the ticket it goes to and the risk change it carries. */
export interface UpdateContext {
  ref: TicketReference | null;
  /** The `RISK_CHANGED` row's values: the change as received, with the incident's new level. */
  change: { score: number; level: RiskLevel; previousScore?: number; reason?: string; newRule?: unknown } | null;
  previousLevel: RiskLevel | null;
}

export async function loadUpdate(pool: pg.Pool, d: { incidentId: string; system: TargetSystem; riskChangeId: string }): Promise<UpdateContext> {
  const { rows } = await pool.query<{ external_id: string | null; remote_id: string; url: string; previous_level: RiskLevel | null; new_value: UpdateContext['change'] }>(
    `SELECT t.external_id, t.remote_id, t.url, h.new_value,
       -- The level the ticket carried when the gate let this update through (its CADENCE_GATE row).
       (SELECT g.new_value->>'previousLevel' FROM incident_history g WHERE g.incident_id = k.incident_id AND g.action = 'CADENCE_GATE'
          AND g.new_value->>'changeId' = $3::text AND g.new_value->>'system' = $2::text ORDER BY g.id DESC LIMIT 1) AS previous_level
     FROM (SELECT $1::text AS incident_id) k
     LEFT JOIN incident_history h ON h.id = $3::bigint AND h.incident_id = k.incident_id AND h.action = 'RISK_CHANGED'
     LEFT JOIN ticket_refs t ON t.incident_id = k.incident_id AND t.system = $2`,
    [d.incidentId, d.system, d.riskChangeId],
  );
  const row = rows[0];
  const ref = row?.external_id ? { system: d.system, externalId: row.external_id, remoteId: row.remote_id, url: row.url } : null;
  return { ref, change: row?.new_value ?? null, previousLevel: row?.previous_level ?? null };
}

/**
 * An update's success, its attempt, the `TICKET_UPDATED` history row and, for ServiceNow, the incident's
 * `last_snow_update_at` and `snow_last_priority`, in one statement. The update was made whoever holds
 * the lease now, so it is recorded unconditionally, like a ticket.
 */
export async function recordUpdate(
  pool: pg.Pool,
  d: { id: string; incidentId: string; system: TargetSystem; attempt: number },
  level: RiskLevel,
  history: { message: string; details: Record<string, unknown> },
): Promise<void> {
  await pool.query(
    `WITH delivery AS (
       UPDATE deliveries SET status = 'SUCCEEDED', last_error = NULL, last_error_code = NULL, next_attempt_at = NULL,
         lease_token = NULL, lease_until = NULL, updated_at = now()
       WHERE id = $1::uuid
     ), attempt AS (
       UPDATE delivery_attempts SET outcome = 'SUCCEEDED', finished_at = now() WHERE delivery_id = $1::uuid AND number = $3
     ), snow AS (
       UPDATE incidents SET last_snow_update_at = now(), snow_last_priority = $5 WHERE id = $2 AND $4 = 'servicenow'
     )
     INSERT INTO incident_history (incident_id, action, source, message, new_value) VALUES ($2, 'TICKET_UPDATED', 'ticket-push', $6, $7::jsonb)`,
    [d.id, d.incidentId, d.attempt, d.system, PRIORITY_MAPPING[level].servicenow.priority, history.message, JSON.stringify(history.details)],
  );
}
