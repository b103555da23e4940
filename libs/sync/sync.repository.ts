import type pg from 'pg';
import { poolOf, type PrismaClient } from '@rhx/db';
import { isClosingSql, openResolvesSql, type OpenedResolve } from '@rhx/deliveries';
import type { TargetSystem } from '@rhx/domain';

/** An open ticket reference as the sync cycle reads it, with what was last recorded about it. */
export interface OpenTicket {
  /** `ticket_refs.id` as text (a bigint): the keyset cursor. */
  id: string;
  incidentId: string;
  system: TargetSystem;
  externalId: string;
  remoteId: string;
  url: string;
  /** The remote state the last poll recorded; null before the first poll. */
  remoteState: string | null;
}

/** A poll that found nothing new: `baseline` is the first state seen, recorded without a history row. */
export interface PollStamp {
  id: string;
  baseline?: { state: string; label: string };
}

/** A real change of one ticket, written with its history row. */
export interface TicketChange {
  ticket: OpenTicket;
  state: string;
  label: string;
  open: boolean;
  /** The incident's new analyst status; undefined leaves it as it is. */
  analystStatus: string | undefined;
  /** `incident_history.source` (`proactive-snow-sync`, `jira-sync`, …). */
  source: string;
  message: string;
}

// One statement per change. The reference is updated only if it still holds the state this poll started
// from, so a change is recorded once even if two cycles ever overlapped; the snow_* columns are written
// for servicenow refs only. `old` reads the snapshot before the update: the history's old values.
const CHANGE_SQL = `
WITH ref AS (
  UPDATE ticket_refs SET remote_state = $2::text, open = $3::boolean, last_polled_at = now()
  WHERE id = $1::bigint AND open AND remote_state IS NOT DISTINCT FROM $4::text
  RETURNING incident_id, system
), old AS (
  SELECT i.id, i.analyst_status, i.snow_ticket_state, ref.system FROM incidents i JOIN ref ON i.id = ref.incident_id
), incident AS (
  UPDATE incidents i SET analyst_status = COALESCE($5::text, i.analyst_status),
    snow_ticket_state = CASE WHEN old.system = 'servicenow' THEN $6::text ELSE i.snow_ticket_state END,
    snow_last_polled_at = CASE WHEN old.system = 'servicenow' THEN now() ELSE i.snow_last_polled_at END,
    updated_at = now()
  FROM old WHERE i.id = old.id
), hist AS (
  INSERT INTO incident_history (incident_id, action, source, message, old_value, new_value)
  SELECT old.id, 'EXTERNAL_SYNC', $7, $8,
    jsonb_build_object('analystStatus', old.analyst_status, 'open', true,
      'ticketState', CASE WHEN old.system = 'servicenow' THEN old.snow_ticket_state ELSE $9::text END),
    jsonb_build_object('analystStatus', COALESCE($5::text, old.analyst_status), 'ticketState', $6::text, 'open', $3::boolean,
      'system', old.system, 'externalId', $10::text)
  FROM old RETURNING id
), resolves AS (
  -- The ticket said the incident is over: its other tickets are resolved where their lifecycle says so;
  -- this one, resolved already, never gets a resolve back.
  ${openResolvesSql('hist', '(SELECT id FROM old)', `(CASE WHEN ${isClosingSql('$5::text')} THEN $11::text[] ELSE '{}'::text[] END)`, `'sync'`, '$1::bigint')}
)
SELECT old.id AS "incidentId", COALESCE((SELECT json_agg(json_build_object('id', id, 'system', system)) FROM resolves), '[]') AS resolves FROM old`;

// The polls of a page that found no change, in one statement: stamps, and the first state seen.
const STAMP_SQL = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json) AS x(id bigint, state text, label text)
), ref AS (
  UPDATE ticket_refs r SET last_polled_at = now(), remote_state = COALESCE(r.remote_state, x.state)
  FROM input x WHERE r.id = x.id AND r.open
  RETURNING r.incident_id, r.system, x.label
)
UPDATE incidents i SET snow_last_polled_at = now(), snow_ticket_state = COALESCE(ref.label, i.snow_ticket_state)
FROM ref WHERE i.id = ref.incident_id AND ref.system = 'servicenow'`;

// The old ticket state is the last one read (null: it vanished before any poll saw it). A vanished ticket
// is retired: it is no longer the incident's live ticket, so an analyst's push makes the next generation.
const VANISHED_SQL = `
WITH ref AS (
  UPDATE ticket_refs SET open = false, last_polled_at = now(), retired_at = now(), retired_reason = 'vanished',
    inflight_delivery_id = NULL, inflight_level = NULL, inflight_at = NULL
  WHERE id = $1::bigint AND open RETURNING incident_id
)
INSERT INTO incident_history (incident_id, action, source, message, old_value, new_value)
SELECT incident_id, 'TICKET_VANISHED', $2, $3, jsonb_build_object('ticketState', $4::text, 'open', true),
  jsonb_build_object('open', false, 'httpStatus', $5::int, 'retired', true)
FROM ref`;

/**
 * The sync cycle's reads and writes, each one SQL statement on the driver adapter's pool: a page of
 * open references (keyset on the partial index `ticket_refs_open_idx`), a page's no-change stamps,
 * one change, one vanished ticket.
 */
export class SyncRepository {
  private readonly pool: pg.Pool;

  constructor(prisma: PrismaClient) {
    this.pool = poolOf(prisma);
  }

  /** Up to `limit` open references of `system` after id `afterId`, by id. */
  async openPage(system: TargetSystem, afterId: string, limit: number): Promise<OpenTicket[]> {
    const { rows } = await this.pool.query<OpenTicket>(
      // Ordered by the bigint column, not the text alias (which would sort '10' before '9' and skip rows).
      `SELECT r.id::text AS id, r.incident_id AS "incidentId", r.system, r.external_id AS "externalId", r.remote_id AS "remoteId", r.url,
         r.remote_state AS "remoteState"
       FROM ticket_refs r WHERE r.system = $1 AND r.open AND r.id > $2::bigint ORDER BY r.id LIMIT $3`,
      [system, afterId, limit],
    );
    return rows;
  }

  async stamp(polls: readonly PollStamp[]): Promise<void> {
    if (polls.length === 0) return;
    const input = polls.map((p) => ({ id: p.id, state: p.baseline?.state ?? null, label: p.baseline?.label ?? null }));
    await this.pool.query(STAMP_SQL, [JSON.stringify(input)]);
  }

  /**
   * Writes a change with its history row; a change that closes the incident opens resolves of its other
   * open tickets in `resolving` (the systems whose lifecycle resolves).
   * @returns null when nothing was written (the reference had moved on, or was closed, meanwhile), else
   * the resolves opened.
   */
  async recordChange(c: TicketChange, resolving: readonly TargetSystem[] = []): Promise<{ resolves: OpenedResolve[] } | null> {
    const { rows } = await this.pool.query<{ resolves: OpenedResolve[] }>(CHANGE_SQL, [
      c.ticket.id, c.state, c.open, c.ticket.remoteState, c.analystStatus ?? null, c.label, c.source, c.message,
      c.ticket.remoteState, c.ticket.externalId, resolving,
    ]);
    return rows[0] ? { resolves: rows[0].resolves } : null;
  }

  /** Closes a reference the remote no longer has, with one `TICKET_VANISHED` history row. */
  async recordVanished(ticket: OpenTicket, source: string, message: string, httpStatus: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(VANISHED_SQL, [ticket.id, source, message, ticket.remoteState, httpStatus]);
    return (rowCount ?? 0) > 0;
  }
}
