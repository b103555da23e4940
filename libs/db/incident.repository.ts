import { OPENED_STATUS, type Incident, type Severity, type TargetSystem } from '@rhx/domain';
import type pg from 'pg';
import { poolOf, type PrismaClient } from './client.js';
import { preparedStatement } from './prepared.js';

/** What the ingest statement needs to know beyond the incident id. */
export interface IngestCommand {
  incidentId: string;
  /** Present on the producer-library path, where the worker is the first to store the incident. */
  incident?: Incident;
  /** The incident's JSON size when known (it weighs its share of a statement); else at most 64 KB. */
  bytes?: number;
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

/** An outbox row's stamp: its `received_at` in epoch milliseconds (part of the API path's job id). */
const STAMP = `(extract(epoch FROM received_at) * 1000)::bigint`;

const INGEST_SQL = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json) AS x(
    id text, payload json, severity text, risk_score int, actor_name text, actor_type text, origin text,
    occurred_at timestamptz, source text, decision_message text, decision jsonb, targets text[])
), ins AS (
  INSERT INTO incidents (id, payload, severity, risk_score, actor_name, actor_type, origin, occurred_at, source, ingested_at)
  SELECT id, payload, severity, risk_score, actor_name, actor_type, COALESCE(origin, 'auto'), occurred_at, 'producer', now()
  FROM input WHERE payload IS NOT NULL
  ON CONFLICT (id) DO NOTHING RETURNING id
), upd AS (
  UPDATE incidents i SET ingested_at = now(), updated_at = now() FROM input
  WHERE i.id = input.id AND i.ingested_at IS NULL AND NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = input.id)
  RETURNING i.id
), claimed AS (
  SELECT id FROM ins UNION ALL SELECT id FROM upd
), hist AS (
  INSERT INTO incident_history (incident_id, action, source, message, new_value)
  SELECT c.id, 'CREATED', x.source, 'incident created', jsonb_build_object('severity', x.severity) FROM claimed c JOIN input x USING (id)
  UNION ALL
  SELECT c.id, 'AUTO_PUSH', 'auto-push', x.decision_message, x.decision FROM claimed c JOIN input x USING (id)
), deliv AS (
  -- The delivery state machine's opening (libs/domain/delivery-states.ts): the first ticket's create, PENDING.
  INSERT INTO deliveries (id, incident_id, system, trigger, kind, generation, status, updated_at)
  SELECT gen_random_uuid(), c.id, t.system, 'auto', 'create', 1, '${OPENED_STATUS}', now() FROM claimed c JOIN input x USING (id) CROSS JOIN unnest(x.targets) AS t(system)
  ON CONFLICT (incident_id, system, generation, risk_change_id) DO NOTHING RETURNING id, incident_id, system
)
SELECT COALESCE((SELECT json_agg(id) FROM claimed), '[]'::json) AS claimed,
       COALESCE((SELECT json_agg(json_build_object('id', id, 'incidentId', incident_id, 'system', system)) FROM deliv), '[]'::json) AS deliveries`;
const INGEST = preparedStatement('rhx_ingest', INGEST_SQL);

/** Incidents as stored records. All writes are single statements or transactions: nothing half-written. */
export class IncidentRepository {
  private readonly pool: pg.Pool;

  constructor(private readonly prisma: PrismaClient) {
    this.pool = poolOf(prisma);
  }

  /** Stores an incident the API accepted (the outbox row). @returns its outbox stamp, or null when the id is already known. */
  async storeAccepted(incident: Incident, severity: Severity): Promise<number | null> {
    return (await this.storeAcceptedMany([{ incident, severity }]))[0]!;
  }

  /**
   * Stores incidents the API accepted, in one statement (the API groups concurrent requests).
   * @returns per item, the outbox stamp (`received_at` in epoch milliseconds) when it was stored, or
   * null when its id was already known (or repeated in the batch).
   */
  async storeAcceptedMany(items: { incident: Incident; severity: Severity }[]): Promise<(number | null)[]> {
    const input = items.map(({ incident, severity }) => ({
      id: incident.id,
      payload: incident,
      severity,
      risk_score: incident.risk.score,
      actor_name: incident.actor.name,
      actor_type: incident.actor.type,
      origin: incident.origin,
      occurred_at: incident.createdAt,
    }));
    const { rows } = await this.pool.query<{ id: string; stamp: string }>(
      `INSERT INTO incidents (id, payload, severity, risk_score, actor_name, actor_type, origin, occurred_at, source)
       SELECT id, payload, severity, risk_score, actor_name, actor_type, COALESCE(origin, 'auto'), occurred_at, 'api'
       FROM json_to_recordset($1::json) AS x(id text, payload json, severity text, risk_score int, actor_name text,
         actor_type text, origin text, occurred_at timestamptz)
       ON CONFLICT (id) DO NOTHING RETURNING id, ${STAMP} AS stamp`,
      [JSON.stringify(input)],
    );
    const stored = new Map(rows.map((r) => [r.id, Number(r.stamp)]));
    // A repeated id within one batch is stored once: the first occurrence owns it.
    return items.map(({ incident }) => {
      const stamp = stored.get(incident.id);
      stored.delete(incident.id);
      return stamp ?? null;
    });
  }

  /**
   * Ingests incident-created events in ONE statement: stores each incident that is new (producer
   * path) or claims its stored outbox row (API path), then writes the CREATED and AUTO_PUSH history
   * rows and the deliveries. A duplicate event, even concurrent, claims nothing and changes nothing:
   * the insert conflicts, and the claim's `ingested_at IS NULL` is re-checked under the row lock.
   * Many events per statement means one commit (one WAL flush) for all of them: the ingest worker's
   * throughput comes from here. Results are in the order of `cmds`; a repeated id claims at most once.
   */
  async ingestMany(cmds: IngestCommand[]): Promise<IngestResult[]> {
    const firstById = new Map<string, IngestCommand>();
    for (const cmd of cmds) if (!firstById.has(cmd.incidentId)) firstById.set(cmd.incidentId, cmd);
    const input = [...firstById.values()].map((cmd) => ({
      id: cmd.incidentId,
      payload: cmd.incident ?? null,
      severity: cmd.severity,
      risk_score: cmd.incident?.risk.score ?? null,
      actor_name: cmd.incident?.actor.name ?? null,
      actor_type: cmd.incident?.actor.type ?? null,
      origin: cmd.incident?.origin ?? null,
      occurred_at: cmd.incident?.createdAt ?? null,
      source: cmd.source,
      decision_message: cmd.autoPush.targets.length > 0 ? `auto-push to ${cmd.autoPush.targets.join(', ')}` : 'auto-push: no target',
      decision: cmd.autoPush.record,
      targets: cmd.autoPush.targets,
    }));
    const { rows } = await this.pool.query<{ claimed: string[]; deliveries: { id: string; incidentId: string; system: TargetSystem }[] }>(
      INGEST([JSON.stringify(input)]));
    const claimed = new Set(rows[0]?.claimed ?? []);
    const deliveries = rows[0]?.deliveries ?? [];
    return cmds.map((cmd) => {
      const mine = firstById.get(cmd.incidentId) === cmd && claimed.has(cmd.incidentId);
      return {
        claimed: mine,
        deliveries: mine ? deliveries.filter((d) => d.incidentId === cmd.incidentId).map(({ id, system }) => ({ id, system })) : [],
      };
    });
  }

  async exists(incidentId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM incidents WHERE id = $1`, [incidentId]);
    return rowCount === 1;
  }

  /** Incidents the API stored that no worker has ingested within `graceMs`: the outbox still owes them. */
  async owedToQueue(graceMs: number, limit: number): Promise<{ id: string; severity: Severity; stamp: number }[]> {
    const { rows } = await this.pool.query<{ id: string; severity: Severity; stamp: string }>(
      `SELECT id, severity, ${STAMP} AS stamp FROM incidents WHERE ingested_at IS NULL AND received_at < now() - make_interval(secs => $1)
       ORDER BY received_at LIMIT $2`,
      [graceMs / 1000, limit],
    );
    return rows.map((r) => ({ ...r, stamp: Number(r.stamp) }));
  }
}
