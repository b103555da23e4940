import type pg from 'pg';
import { OPENED_STATUS, fromStatusesSql, type DeliveryStatus, type RiskLevel, type TargetSystem } from '@rhx/domain';

// The statements that open a delivery (status PENDING): a risk change's update, an analyst's push. The
// ingest statement (IncidentRepository) opens an incident's first creates together with the incident.

/** What a risk change's update needs: the ticket it goes to and the change it carries. */
export interface UpdateToOpen {
  incidentId: string;
  system: TargetSystem;
  generation: number;
  changeId: string;
  /** The level it sets: what the gate now waits for (in flight until it reaches the ticket or fails). */
  level: RiskLevel;
  at: Date;
}

/**
 * Opens the update delivery of a risk change the cadence gate let through (inside the caller's
 * transaction, under the incident's row lock): the delivery, the gate's in-flight mark on the ticket, and
 * the `supersede` event for every older update of the ticket that has not reached it and no run holds
 * (the new one carries the later level and reports the move from the level the ticket carried). An
 * older update in flight now is left to finish: the new one waits for its lease.
 * @returns the new delivery's id, or undefined when this change already has one.
 */
export async function openUpdate(client: pg.PoolClient | pg.Pool, u: UpdateToOpen): Promise<string | undefined> {
  const { rows } = await client.query<{ id: string }>(
    `WITH opened AS (
       INSERT INTO deliveries (id, incident_id, system, trigger, kind, generation, risk_change_id, status, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 'risk', 'update', $3, $4::bigint, '${OPENED_STATUS}', now())
       ON CONFLICT DO NOTHING RETURNING id
     ), stamp AS (
       UPDATE ticket_refs SET inflight_delivery_id = opened.id, inflight_level = $5, inflight_at = $6
       FROM opened WHERE incident_id = $1 AND system = $2 AND generation = $3
     ), older AS (
       UPDATE deliveries d SET status = 'SKIPPED', last_error_code = 'SUPERSEDED', next_attempt_at = NULL, updated_at = now(),
         last_error = 'a newer risk change''s update replaces it (it carries the later level)'
       FROM opened
       WHERE d.incident_id = $1 AND d.system = $2 AND d.generation = $3 AND d.kind = 'update' AND d.risk_change_id < $4::bigint
         AND d.status = ANY(${fromStatusesSql('supersede')}) AND (d.lease_until IS NULL OR d.lease_until <= now())
       RETURNING d.id
     ), history AS (
       INSERT INTO incident_history (incident_id, action, source, message, new_value)
       SELECT $1, 'UPDATE_SUPERSEDED', 'cadence-gate', $2 || ' update ' || older.id || ' superseded by the update of risk change ' || $4,
         jsonb_build_object('system', $2::text, 'deliveryId', older.id, 'supersededBy', opened.id, 'reason', 'SUPERSEDED')
       FROM older CROSS JOIN opened
     )
     SELECT id::text AS id FROM opened`,
    [u.incidentId, u.system, u.generation, u.changeId, u.level, u.at],
  );
  return rows[0]?.id;
}

/** The result of an analyst's push, as the manual-push statement found it. */
export type ManualDelivery =
  | { kind: 'ticket-exists'; ticket: { externalId: string; url: string } }
  | { kind: 'unknown-incident' }
  | { kind: 'opened'; id: string; status: DeliveryStatus; generation: number; nextAttemptAt: Date | null };

/**
 * An analyst's push: the create of the incident's next ticket generation in `system` (1, or one after
 * the latest ticket when that one is retired), opened, or re-driven when it FAILED or was SKIPPED
 * (the `redrive` event); any other is returned as it is, its timing unchanged. While the incident has a
 * live ticket there nothing is opened.
 */
export async function manualDelivery(pool: pg.Pool, incidentId: string, system: TargetSystem): Promise<ManualDelivery> {
  const { rows } = await pool.query<{ known: boolean; external_id: string | null; url: string | null; id: string | null; status: DeliveryStatus | null; generation: number | null; next_attempt_at: Date | null }>(
    `WITH incident AS (
       SELECT i.id, t.external_id, t.url, COALESCE((SELECT max(r.generation) FROM ticket_refs r WHERE r.incident_id = i.id AND r.system = $2), 0) + 1 AS next_generation
       FROM incidents i LEFT JOIN ticket_refs t ON t.incident_id = i.id AND t.system = $2 AND t.retired_at IS NULL
       WHERE i.id = $1 FOR UPDATE OF i
     ), opened AS (
       INSERT INTO deliveries (id, incident_id, system, trigger, kind, generation, status, updated_at)
       SELECT gen_random_uuid(), id, $2, 'manual', 'create', next_generation, '${OPENED_STATUS}', now() FROM incident WHERE external_id IS NULL
       ON CONFLICT (incident_id, system, generation, risk_change_id) DO UPDATE SET
         status = CASE WHEN deliveries.status = ANY(${fromStatusesSql('redrive')}) THEN 'PENDING' ELSE deliveries.status END,
         round_start = CASE WHEN deliveries.status = ANY(${fromStatusesSql('redrive')}) THEN deliveries.attempts ELSE deliveries.round_start END,
         updated_at = CASE WHEN deliveries.status = ANY(${fromStatusesSql('redrive')}) THEN now() ELSE deliveries.updated_at END
       RETURNING id, status, generation, next_attempt_at
     )
     SELECT true AS known, i.external_id, i.url, o.id::text AS id, o.status, o.generation, o.next_attempt_at FROM incident i LEFT JOIN opened o ON true`,
    [incidentId, system],
  );
  const row = rows[0];
  if (!row) return { kind: 'unknown-incident' };
  if (row.external_id !== null && row.url !== null) return { kind: 'ticket-exists', ticket: { externalId: row.external_id, url: row.url } };
  return { kind: 'opened', id: row.id!, status: row.status!, generation: row.generation!, nextAttemptAt: row.next_attempt_at };
}
