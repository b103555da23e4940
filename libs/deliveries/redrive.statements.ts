import type pg from 'pg';
import { fromStatusesSql, statusesSql, TRANSITIONS, UNFINISHED_STATUSES, type DeliveryKind, type DeliveryStatus, type Operator, type TargetSystem } from '@rhx/domain';

// The statements that make a delivery run again: a re-drive by the API, and the reconciler's look for
// deliveries that no run owns.

/** What a delivery looked like when a re-drive was asked for. */
export interface RedriveTarget {
  id: string;
  incidentId: string;
  system: TargetSystem;
  status: DeliveryStatus;
  kind: DeliveryKind;
  attempts: number;
  /** IN_PROGRESS under a lease that has not ended (by the database's clock): a run is calling the remote. */
  leaseLive: boolean;
  nextAttemptAt: Date | null;
  /** A create's ticket (of its generation), once one exists. */
  ticket: { externalId: string; url: string } | null;
  /** An update whose ticket is no longer live (it vanished), or that a newer update of the ticket replaced. */
  ticketRetired: boolean;
  supersededBy: boolean;
}

/** Only these are re-driven: nothing else will ever run them again. */
export const REDRIVABLE: readonly DeliveryStatus[] = TRANSITIONS.redrive.from;

// One statement: the row is locked, so two re-drives at once make one PENDING delivery and one history
// row (the second sees PENDING and is refused). `attempts` keeps counting: attempt numbers stay unique.
const REDRIVE_SQL = `
WITH before AS (
  SELECT d.id, d.incident_id, d.system, d.status, d.kind, d.attempts, d.next_attempt_at,
    (d.status = 'IN_PROGRESS' AND COALESCE(d.lease_until > now(), false)) AS lease_live,
    CASE WHEN d.kind = 'create' THEN t.external_id END AS external_id, CASE WHEN d.kind = 'create' THEN t.url END AS url,
    (d.kind <> 'create' AND (t.id IS NULL OR t.retired_at IS NOT NULL)) AS ticket_retired,
    (d.kind = 'update' AND EXISTS (SELECT 1 FROM deliveries n WHERE n.incident_id = d.incident_id AND n.system = d.system
      AND n.generation = d.generation AND n.kind = 'update' AND n.risk_change_id > d.risk_change_id)) AS superseded
  FROM deliveries d LEFT JOIN ticket_refs t ON t.incident_id = d.incident_id AND t.system = d.system AND t.generation = d.generation
  WHERE d.id = $1::uuid FOR UPDATE OF d
), redriven AS (
  UPDATE deliveries d SET status = 'PENDING', next_attempt_at = NULL, round_start = d.attempts, updated_at = now()
  FROM before b WHERE d.id = b.id AND b.status = ANY(${fromStatusesSql('redrive')}) AND b.external_id IS NULL AND NOT b.ticket_retired AND NOT b.superseded
  RETURNING d.id
), history AS (
  INSERT INTO incident_history (incident_id, action, source, message, old_value, new_value, actor_kind, actor)
  SELECT b.incident_id, 'DELIVERY_REDRIVEN', $2, b.system || ' delivery re-driven after ' || b.attempts || ' attempt(s)',
    jsonb_build_object('status', b.status),
    jsonb_build_object('status', 'PENDING', 'system', b.system, 'deliveryId', b.id, 'kind', b.kind), $2, $3
  FROM before b JOIN redriven USING (id)
), audit AS (
  INSERT INTO audit_events (actor_kind, actor, action, target, incident_id, details)
  SELECT $2, $3, 'DELIVERY_REDRIVEN', b.id::text, b.incident_id, jsonb_build_object('system', b.system, 'kind', b.kind, 'status', b.status, 'attempts', b.attempts)
  FROM before b JOIN redriven USING (id)
)
SELECT b.id::text AS id, b.incident_id AS "incidentId", b.system, b.status, b.kind, b.attempts, b.lease_live AS "leaseLive",
  b.next_attempt_at AS "nextAttemptAt", b.external_id, b.url, b.ticket_retired AS "ticketRetired", b.superseded AS "supersededBy",
  EXISTS (SELECT 1 FROM redriven) AS redriven
FROM before b`;

type RedriveRow = Omit<RedriveTarget, 'ticket'> & { external_id: string | null; url: string | null; redriven: boolean };

/**
 * The `redrive` event: a FAILED or SKIPPED delivery that may still run becomes PENDING with a new round, a
 * history row and an audit row naming `operator`, in one statement.
 */
export async function redrive(pool: pg.Pool, deliveryId: string, operator: Operator): Promise<{ delivery: RedriveTarget; redriven: boolean } | undefined> {
  const { rows } = await pool.query<RedriveRow>(REDRIVE_SQL, [deliveryId, operator.kind, operator.name]);
  const row = rows[0];
  if (!row) return undefined;
  const { external_id, url, redriven, ...rest } = row;
  return { delivery: { ...rest, ticket: external_id === null || url === null ? null : { externalId: external_id, url } }, redriven };
}

/** A delivery that no run owns, as the reconciler finds it. */
export interface UnownedDelivery {
  id: string;
  incidentId: string;
  system: TargetSystem;
  status: DeliveryStatus;
  /** Keyset position: pass back as `after` for the next page. */
  createdAt: Date;
}

/**
 * Deliveries the database says are unfinished and that no run owns: PENDING for longer than `graceMs`
 * (their job may have been lost with Redis, or failed before the attempt was recorded), IN_PROGRESS
 * with an expired lease (the run that held it died or froze), and RETRY_WAIT whose next attempt has
 * been due for `graceMs` (its delayed retry job may have been lost). Oldest first, a page at a time
 * after `after` (keyset on creation time and id), so a sweep reaches every one however many are due.
 */
export async function unowned(pool: pg.Pool, graceMs: number, limit: number, after?: { createdAt: Date; id: string }): Promise<UnownedDelivery[]> {
  const { rows } = await pool.query<UnownedDelivery>(
    `SELECT id::text AS id, incident_id AS "incidentId", system, status, created_at AS "createdAt" FROM deliveries
     WHERE status = ANY(${statusesSql(UNFINISHED_STATUSES)})
       AND ((status = 'PENDING' AND updated_at < now() - make_interval(secs => $1))
        OR (status = 'IN_PROGRESS' AND (lease_until IS NULL OR lease_until <= now()))
        OR (status = 'RETRY_WAIT' AND next_attempt_at < now() - make_interval(secs => $1)))
       AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::uuid))
     ORDER BY created_at, id LIMIT $2`,
    [graceMs / 1000, limit, after?.createdAt ?? null, after?.id ?? null],
  );
  return rows;
}

// An operator's "create ticket" (issue 18: a click left no trace): the incident's history row and the
// audit row, naming who, in one statement.
const TICKET_REQUESTED_SQL = `
WITH history AS (
  INSERT INTO incident_history (incident_id, action, source, message, new_value, actor_kind, actor)
  VALUES ($1, 'PUSH_REQUESTED', $4, $2 || ' ticket requested by ' || $5, jsonb_build_object('system', $2::text, 'deliveryId', $3::text), $4, $5)
)
INSERT INTO audit_events (actor_kind, actor, action, target, incident_id, details)
VALUES ($4, $5, 'TICKET_REQUESTED', $1, $1, jsonb_build_object('system', $2::text, 'deliveryId', $3::text))`;

export async function recordTicketRequest(pool: pg.Pool, incidentId: string, system: TargetSystem, deliveryId: string, operator: Operator): Promise<void> {
  await pool.query(TICKET_REQUESTED_SQL, [incidentId, system, deliveryId, operator.kind, operator.name]);
}
