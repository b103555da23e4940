import type { Incident, Severity, TargetSystem } from '@rhx/domain';
import type { PrismaClient } from './client.js';

/** What the ingest statement needs to know beyond the incident id. */
export interface IngestCommand {
  incidentId: string;
  /** Present on the producer-library path, where the worker is the first to store the incident. */
  incident?: Incident;
  severity: Severity;
  source: 'api' | 'producer';
  /** Auto-push outcome decided from the settings of the moment; recorded in history. */
  autoPush: { targets: TargetSystem[]; record: Record<string, unknown> };
}

export interface IngestResult {
  /** False when the incident had already been ingested (a duplicate event): nothing was changed. */
  claimed: boolean;
  deliveries: { id: string; system: TargetSystem }[];
}

function columns(incident: Incident, severity: Severity) {
  return [
    JSON.stringify(incident),
    severity,
    incident.risk.score,
    incident.actor.name,
    incident.actor.type,
    incident.origin,
    incident.createdAt,
  ] as const;
}

/** Incidents as stored records. All writes are single statements or transactions: nothing half-written. */
export class IncidentRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Stores an incident the API accepted (the outbox row). @returns false when the id is already known. */
  async storeAccepted(incident: Incident, severity: Severity): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<unknown[]>(
      `INSERT INTO incidents (id, payload, severity, risk_score, actor_name, actor_type, origin, occurred_at, source)
       VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7, $8::timestamptz, 'api')
       ON CONFLICT (id) DO NOTHING RETURNING 1`,
      incident.id,
      ...columns(incident, severity),
    );
    return rows.length === 1;
  }

  /**
   * Ingests one incident-created event in ONE statement: stores the incident if it is new (producer
   * path) or claims the stored outbox row (API path), then writes the CREATED and AUTO_PUSH history
   * rows and the deliveries. A duplicate event, even concurrent, claims nothing and changes nothing:
   * the insert conflicts and the claim's `ingested_at IS NULL` re-check fails under the row lock.
   */
  async ingest(cmd: IngestCommand): Promise<IngestResult> {
    const values = cmd.incident ? columns(cmd.incident, cmd.severity) : [null, null, null, null, null, null, null];
    const rows = await this.prisma.$queryRawUnsafe<{ claimed: bigint; deliveries: { id: string; system: TargetSystem }[] }[]>(
      `WITH ins AS (
         INSERT INTO incidents (id, payload, severity, risk_score, actor_name, actor_type, origin, occurred_at, source, ingested_at)
         SELECT $1, $2::jsonb, $3, $4, $5, $6, $7, $8::timestamptz, 'producer', now() WHERE $2::jsonb IS NOT NULL
         ON CONFLICT (id) DO NOTHING RETURNING id
       ), upd AS (
         UPDATE incidents SET ingested_at = now(), updated_at = now()
         WHERE id = $1 AND ingested_at IS NULL AND NOT EXISTS (SELECT 1 FROM ins) RETURNING id
       ), claimed AS (
         SELECT id FROM ins UNION ALL SELECT id FROM upd
       ), hist AS (
         INSERT INTO incident_history (incident_id, action, source, message, new_value)
         SELECT id, 'CREATED', $9, 'incident created', jsonb_build_object('severity', $10::text) FROM claimed
         UNION ALL
         SELECT id, 'AUTO_PUSH', 'auto-push', $11, $12::jsonb FROM claimed
       ), deliv AS (
         INSERT INTO deliveries (id, incident_id, system, trigger, updated_at)
         SELECT gen_random_uuid(), c.id, t.system, 'auto', now() FROM claimed c CROSS JOIN unnest($13::text[]) AS t(system)
         ON CONFLICT (incident_id, system) DO NOTHING RETURNING id, system
       )
       SELECT (SELECT count(*) FROM claimed) AS claimed,
              COALESCE((SELECT json_agg(json_build_object('id', id, 'system', system)) FROM deliv), '[]'::json) AS deliveries`,
      cmd.incidentId,
      ...values,
      cmd.source,
      cmd.severity,
      cmd.autoPush.targets.length > 0 ? `auto-push to ${cmd.autoPush.targets.join(', ')}` : 'auto-push: no target',
      JSON.stringify(cmd.autoPush.record),
      cmd.autoPush.targets,
    );
    const row = rows[0];
    return { claimed: Number(row?.claimed ?? 0) === 1, deliveries: row?.deliveries ?? [] };
  }

  /** Incidents the API stored that no worker has ingested within `graceMs`: the outbox still owes them. */
  async owedToQueue(graceMs: number, limit: number): Promise<{ id: string; severity: Severity }[]> {
    return this.prisma.$queryRawUnsafe(
      `SELECT id, severity FROM incidents WHERE ingested_at IS NULL AND received_at < now() - make_interval(secs => $1)
       ORDER BY received_at LIMIT $2`,
      graceMs / 1000,
      limit,
    );
  }

  /** Deliveries still PENDING after `graceMs` (their job may have been lost with Redis). */
  async pendingDeliveries(graceMs: number, limit: number): Promise<{ id: string; incidentId: string; system: TargetSystem }[]> {
    return this.prisma.$queryRawUnsafe(
      `SELECT id::text AS id, incident_id AS "incidentId", system FROM deliveries
       WHERE status = 'PENDING' AND updated_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT $2`,
      graceMs / 1000,
      limit,
    );
  }
}
