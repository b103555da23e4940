import type pg from 'pg';
import type { TicketReference } from '@rhx/adapters';
import { preparedStatement } from '@rhx/db';
import type { DeliveryKind, DeliveryStatus, RiskLevel, TargetSystem } from '@rhx/domain';

/** Payloads up to this size come with the first read; larger ones are read once memory is reserved. */
export const INLINE_PAYLOAD_BYTES = 64 * 1024;

/** The risk change an update delivery carries: the `RISK_CHANGED` row's values, with the incident's new level. */
export interface CarriedChange {
  score: number;
  level: RiskLevel;
  previousScore?: number;
  reason?: string;
  newRule?: unknown;
}

/** What a resolve carries: the incident's closing status and the note that came with it (the analyst's, or the sync's ticket). */
export interface CarriedClosure {
  analystStatus: string;
  note?: string;
  /** When the close came from a ticket (the sync saw it resolved): that ticket. */
  system?: string;
  externalId?: string;
}

/** What a run needs to know about a delivery before it takes the lease, in one read. */
export interface DeliveryForRun {
  id: string;
  incidentId: string;
  system: TargetSystem;
  status: DeliveryStatus;
  kind: DeliveryKind;
  /** The ticket generation it makes (create) or acts on (update). */
  generation: number;
  /** For an update, the risk change (history row id) it carries; '0' otherwise. */
  riskChangeId: string;
  /** Attempts made so far, and before the current round (see `round_start`). */
  attempts: number;
  roundStart: number;
  /** The code of the latest failure (kept across a re-drive): with the round, whether failures follow one another. */
  lastErrorCode: string | null;
  /**
   * The ticket of the delivery's generation, when recorded (a create is done then; an update goes to it):
   * `live` until it vanished or a follow-up took over, `open` until it was resolved (here or in the remote).
   */
  ticket: (TicketReference & { live: boolean; open: boolean }) | null;
  /** An update only: the change it carries, and the level the ticket carried when the gate let it through. */
  change: CarriedChange | null;
  previousLevel: RiskLevel | null;
  /** A resolve only: why the incident closed. */
  closure: CarriedClosure | null;
  /** A create of a follow-up ticket only: the earlier ticket, closed for good, that it follows. */
  followsUp: { externalId: string; url: string } | null;
  /** An update only: a newer update of the same ticket exists, which carries the later level. */
  superseded: boolean;
  /** Size of the stored incident as JSON text, what reading it costs in memory. */
  payloadBytes: number;
  /** The stored incident when it is at most {@link INLINE_PAYLOAD_BYTES}; otherwise read it with `loadPayload`. */
  payload?: unknown;
}

type Row = Omit<DeliveryForRun, 'ticket'> & { external_id: string | null; remote_id: string | null; url: string | null; live: boolean | null; open: boolean | null };

// One statement: the delivery, the incident's payload (when small, once per incident), the ticket of its generation, the
// history row it carries (an update's risk change, a resolve's close) and, for an update, the gate's row
// for it and whether a newer update of the ticket exists.
const LOAD_SQL = `
SELECT d.id::text AS id, d.incident_id AS "incidentId", d.system, d.status, d.kind, d.generation, d.risk_change_id::text AS "riskChangeId",
  d.attempts, d.round_start AS "roundStart", d.last_error_code AS "lastErrorCode", s.bytes AS "payloadBytes",
  -- Once per incident: its other deliveries read here share that row's copy (an incident's tickets are pushed together).
  CASE WHEN s.bytes <= $2 AND row_number() OVER (PARTITION BY d.incident_id) = 1 THEN i.payload END AS payload,
  t.external_id, t.remote_id, t.url, (t.retired_at IS NULL) AS live, t.open,
  CASE WHEN d.kind = 'update' AND h.action = 'RISK_CHANGED' THEN h.new_value END AS change,
  CASE WHEN d.kind = 'resolve' THEN h.new_value END AS closure,
  CASE WHEN d.kind = 'create' AND d.generation > 1 THEN (SELECT json_build_object('externalId', p.external_id, 'url', p.url) FROM ticket_refs p
    WHERE p.incident_id = d.incident_id AND p.system = d.system AND p.generation = d.generation - 1 AND p.retired_reason = 'closed') END AS "followsUp",
  CASE WHEN d.kind = 'update' THEN (SELECT g.new_value->>'previousLevel' FROM incident_history g
    WHERE g.incident_id = d.incident_id AND g.action = 'CADENCE_GATE' AND g.new_value->>'changeId' = d.risk_change_id::text
      AND g.new_value->>'system' = d.system ORDER BY g.id DESC LIMIT 1) END AS "previousLevel",
  (d.kind = 'update' AND EXISTS (SELECT 1 FROM deliveries n WHERE n.incident_id = d.incident_id AND n.system = d.system
    AND n.generation = d.generation AND n.kind = 'update' AND n.risk_change_id > d.risk_change_id)) AS superseded
FROM deliveries d JOIN incidents i ON i.id = d.incident_id CROSS JOIN LATERAL (SELECT octet_length(i.payload::text) AS bytes) s
LEFT JOIN ticket_refs t ON t.incident_id = d.incident_id AND t.system = d.system AND t.generation = d.generation
LEFT JOIN incident_history h ON d.kind <> 'create' AND h.id = d.risk_change_id AND h.incident_id = d.incident_id
-- The ids through an initplan: planned the same whatever their number, so PostgreSQL settles on one generic plan
-- per connection. With \`ANY($1::uuid[])\` each batch's own size priced a custom plan below the generic one, and
-- every read was planned again (0.6 ms of PostgreSQL's CPU each, as much as running it).
WHERE d.id = ANY(ARRAY(SELECT unnest($1::uuid[])))`;
const LOAD = preparedStatement('rhx_delivery_load', LOAD_SQL);

/**
 * Reads the deliveries `ids` for their runs, in one statement: the ones missing are gone. Concurrent runs
 * share it (see DeliveryRepository): one round trip, and one plan, for many, as the lease and settle do.
 * Deliveries of one incident read together share one `payload` object, sent and parsed once: a run reads
 * it and never changes it (see `storedIncident` in libs/push, which validates it once for all of them).
 */
export async function loadForRuns(pool: pg.Pool, ids: readonly string[]): Promise<(DeliveryForRun | undefined)[]> {
  const { rows } = await pool.query<Row>(LOAD([ids, INLINE_PAYLOAD_BYTES]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const payloads = new Map(rows.filter((row) => row.payload !== null).map((row) => [row.incidentId, row.payload]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) return undefined;
    const { external_id, remote_id, url, live, open, payload: _once, ...rest } = row;
    const ticket = external_id && remote_id && url ? { system: row.system, externalId: external_id, remoteId: remote_id, url, live: live ?? false, open: open ?? false } : null;
    const payload = row.payloadBytes <= INLINE_PAYLOAD_BYTES ? payloads.get(row.incidentId) : undefined;
    return { ...rest, ticket, ...(payload === undefined ? {} : { payload }) };
  });
}

export async function loadPayload(pool: pg.Pool, incidentId: string): Promise<unknown> {
  const { rows } = await pool.query<{ payload: unknown }>(`SELECT payload FROM incidents WHERE id = $1`, [incidentId]);
  return rows[0]?.payload;
}
