import type pg from 'pg';
import type { TargetSystem } from '@rhx/domain';
import type { DeliveryStatus } from './view.statements.js';

// The statements that make a delivery run again: a re-drive by the API, an analyst's manual push, and
// the reconciler's look for deliveries that no run owns.

/** What a delivery looked like when a re-drive was asked for. */
export interface RedriveTarget {
  id: string;
  incidentId: string;
  system: TargetSystem;
  status: DeliveryStatus;
  attempts: number;
  /** IN_PROGRESS under a lease that has not ended (by the database's clock): a run is calling the remote. */
  leaseLive: boolean;
  nextAttemptAt: Date | null;
  ticket: { externalId: string; url: string } | null;
}

/** Only these are re-driven: nothing else will ever run them again. */
export const REDRIVABLE: readonly DeliveryStatus[] = ['FAILED', 'SKIPPED'];

// One statement: the row is locked, so two re-drives at once make one PENDING delivery and one history
// row (the second sees PENDING and is refused). `attempts` keeps counting: attempt numbers stay unique.
const REDRIVE_SQL = `
WITH before AS (
  SELECT d.id, d.incident_id, d.system, d.status, d.attempts, d.next_attempt_at,
    (d.status = 'IN_PROGRESS' AND COALESCE(d.lease_until > now(), false)) AS lease_live, t.external_id, t.url
  -- An update delivery (a risk change) belongs to an existing ticket: only a create is done once one exists.
  FROM deliveries d LEFT JOIN ticket_refs t ON t.incident_id = d.incident_id AND t.system = d.system AND d.risk_change_id = 0
  WHERE d.id = $1::uuid FOR UPDATE OF d
), redriven AS (
  UPDATE deliveries d SET status = 'PENDING', next_attempt_at = NULL, round_start = d.attempts, updated_at = now()
  FROM before b WHERE d.id = b.id AND b.status = ANY($2::text[]) AND b.external_id IS NULL
  RETURNING d.id
), history AS (
  INSERT INTO incident_history (incident_id, action, source, message, old_value, new_value)
  SELECT b.incident_id, 'DELIVERY_REDRIVEN', 'api', b.system || ' delivery re-driven after ' || b.attempts || ' attempt(s)',
    jsonb_build_object('status', b.status),
    jsonb_build_object('status', 'PENDING', 'system', b.system, 'deliveryId', b.id)
  FROM before b JOIN redriven USING (id)
)
SELECT b.id::text AS id, b.incident_id AS "incidentId", b.system, b.status, b.attempts, b.lease_live AS "leaseLive",
  b.next_attempt_at AS "nextAttemptAt", b.external_id, b.url, EXISTS (SELECT 1 FROM redriven) AS redriven
FROM before b`;

type RedriveRow = Omit<RedriveTarget, 'ticket'> & { external_id: string | null; url: string | null; redriven: boolean };

/** A FAILED or SKIPPED delivery with no ticket becomes PENDING with a new round and a history row. */
export async function redrive(pool: pg.Pool, deliveryId: string): Promise<{ delivery: RedriveTarget; redriven: boolean } | undefined> {
  const { rows } = await pool.query<RedriveRow>(REDRIVE_SQL, [deliveryId, REDRIVABLE]);
  const row = rows[0];
  if (!row) return undefined;
  const { external_id, url, redriven, ...rest } = row;
  return { delivery: { ...rest, ticket: external_id === null || url === null ? null : { externalId: external_id, url } }, redriven };
}

/**
 * The one delivery of an incident and system for an analyst's push: created, or, when it FAILED or was
 * SKIPPED, made PENDING with a new round; any other is returned as it is.
 */
export async function manualDelivery(pool: pg.Pool, incidentId: string, system: TargetSystem): Promise<{ id: string; status: DeliveryStatus }> {
  const { rows } = await pool.query<{ id: string; status: DeliveryStatus }>(
    `INSERT INTO deliveries (id, incident_id, system, trigger, updated_at) VALUES (gen_random_uuid(), $1, $2, 'manual', now())
     ON CONFLICT (incident_id, system, risk_change_id) DO UPDATE SET
       status = CASE WHEN deliveries.status = ANY($3::text[]) THEN 'PENDING' ELSE deliveries.status END,
       round_start = CASE WHEN deliveries.status = ANY($3::text[]) THEN deliveries.attempts ELSE deliveries.round_start END,
       updated_at = now()
     RETURNING id::text AS id, status`,
    [incidentId, system, REDRIVABLE],
  );
  return rows[0]!;
}

/** A delivery that no run owns, as the reconciler finds it. */
export interface UnownedDelivery {
  id: string;
  incidentId: string;
  system: TargetSystem;
  status: DeliveryStatus;
}

/**
 * Deliveries the database says are unfinished and that no run owns: PENDING for longer than `graceMs`
 * (their job may have been lost with Redis, or failed before the attempt was recorded), IN_PROGRESS
 * with an expired lease (the run that held it died or froze), and RETRY_WAIT whose next attempt has
 * been due for `graceMs` (its delayed retry job may have been lost).
 */
export async function unowned(pool: pg.Pool, graceMs: number, limit: number): Promise<UnownedDelivery[]> {
  const { rows } = await pool.query<UnownedDelivery>(
    `SELECT id::text AS id, incident_id AS "incidentId", system, status FROM deliveries
     WHERE (status = 'PENDING' AND updated_at < now() - make_interval(secs => $1))
        OR (status = 'IN_PROGRESS' AND (lease_until IS NULL OR lease_until <= now()))
        OR (status = 'RETRY_WAIT' AND next_attempt_at < now() - make_interval(secs => $1))
     ORDER BY created_at LIMIT $2`,
    [graceMs / 1000, limit],
  );
  return rows;
}
