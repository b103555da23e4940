import type pg from 'pg';
import type { ATTEMPT_OUTCOMES, DeliveryKind, DeliveryStatus, TargetSystem } from '@rhx/domain';
import { encodeDeliveryCursor, type DeliveryCursor } from './delivery-cursor.js';

/** A delivery as `GET /v1/deliveries` lists it. Times are ISO 8601; `ticket` is the reference once one exists. */
export interface DeliverySummary {
  id: string;
  incidentId: string;
  system: TargetSystem;
  status: DeliveryStatus;
  trigger: string;
  /** `create` makes the ticket; `update` adds one risk change's update to it (`riskChangeId`, its RISK_CHANGED history row). */
  kind: DeliveryKind;
  riskChangeId?: string;
  /** The ticket generation it makes or acts on: 1, or 2… after an earlier ticket vanished. */
  generation: number;
  /** How many attempts were started (the length of the detail's `attempts`). */
  attempts: number;
  /** The remote's message of the latest failure; kept across a re-drive until the delivery succeeds. */
  lastError: string | null;
  lastErrorCode: string | null;
  /** When a RETRY_WAIT delivery is due again; null otherwise. */
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  ticket: { externalId: string; url: string } | null;
}

/** One attempt of a delivery, as `GET /v1/deliveries/:id` shows it. */
export interface DeliveryAttemptView {
  number: number;
  startedAt: string;
  finishedAt: string | null;
  outcome: (typeof ATTEMPT_OUTCOMES)[number];
  /** The risk level the attempt's request carried. */
  level: string | null;
  code: string | null;
  httpStatus: number | null;
  /** The remote's own message (or the transport's), scrubbed of credentials. */
  message: string | null;
  /** The wait chosen before the next attempt, and why (`backoff`, or `retry-after`: the remote asked). */
  waitMs: number | null;
  waitReason: string | null;
}

/** One delivery with every attempt, oldest first. `attempts` here is the list, not the count. */
export type DeliveryDetail = Omit<DeliverySummary, 'attempts'> & { attempts: DeliveryAttemptView[] };

export interface DeliveryFilter {
  status?: DeliveryStatus;
  system?: TargetSystem;
  kind?: DeliveryKind;
  incidentId?: string;
}

export interface DeliveryPage {
  items: DeliverySummary[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

type Row = {
  id: string; incident_id: string; system: TargetSystem; status: DeliveryStatus; trigger: string; kind: DeliveryKind; generation: number; risk_change_id: string; attempts: number;
  last_error: string | null; last_error_code: string | null; next_attempt_at: Date | null; created_at: Date; updated_at: Date;
  external_id: string | null; url: string | null;
};

type AttemptRow = Omit<DeliveryAttemptView, 'startedAt' | 'finishedAt'> & { startedAt: Date; finishedAt: Date | null };

const SELECT = `SELECT d.id::text AS id, d.incident_id, d.system, d.status, d.trigger, d.kind, d.generation, d.risk_change_id::text AS risk_change_id, d.attempts, d.last_error, d.last_error_code,
    d.next_attempt_at, d.created_at, d.updated_at, t.external_id, t.url
  FROM deliveries d LEFT JOIN ticket_refs t ON t.incident_id = d.incident_id AND t.system = d.system AND t.generation = d.generation`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function summary(r: Row): DeliverySummary {
  return {
    id: r.id, incidentId: r.incident_id, system: r.system, status: r.status, trigger: r.trigger,
    kind: r.kind, ...(r.kind === 'update' ? { riskChangeId: r.risk_change_id } : {}), generation: r.generation, attempts: r.attempts,
    lastError: r.last_error, lastErrorCode: r.last_error_code, nextAttemptAt: iso(r.next_attempt_at),
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    ticket: r.external_id === null || r.url === null ? null : { externalId: r.external_id, url: r.url },
  };
}

/**
 * Deliveries newest first (creation time, then id), filtered, one page at a time. Keyset paging: a page
 * starts strictly after the cursor's row, so rows created meanwhile never shift a page (no duplicates, no
 * gaps) and every page costs the same at any depth, walking `deliveries_created_at_idx` backwards.
 */
export async function listDeliveries(pool: pg.Pool, filter: DeliveryFilter, page: { limit: number; after?: DeliveryCursor }): Promise<DeliveryPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  if (filter.status) where.push(`d.status = ${bind(filter.status)}`);
  if (filter.system) where.push(`d.system = ${bind(filter.system)}`);
  if (filter.kind) where.push(`d.kind = ${bind(filter.kind)}`);
  if (filter.incidentId) where.push(`d.incident_id = ${bind(filter.incidentId)}`);
  if (page.after) {
    const at = bind(page.after.createdAt);
    // The plain `<=` lets the single-column index bound the scan; the OR breaks ties on the id.
    where.push(`d.created_at <= ${at}::timestamptz AND (d.created_at < ${at}::timestamptz OR d.id < ${bind(page.after.id)}::uuid)`);
  }
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY d.created_at DESC, d.id DESC LIMIT ${bind(page.limit + 1)}`;
  const { rows } = await pool.query<Row>(sql, params);
  const items = rows.slice(0, page.limit).map(summary);
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return { items, nextCursor: last ? encodeDeliveryCursor({ createdAt: last.created_at, id: last.id }) : null };
}

/** One delivery with every attempt (oldest first), or null when no delivery has this id. */
export async function findDelivery(pool: pg.Pool, id: string): Promise<DeliveryDetail | null> {
  // One statement, so one snapshot: the delivery and its attempts as of the same moment (two reads could
  // show a SUCCEEDED delivery beside its attempt still STARTED, when the ticket was recorded in between).
  const { rows } = await pool.query<Row & { a_number: number | null } & { [K in keyof AttemptRow as `a_${K}`]: AttemptRow[K] }>(
    `SELECT d.*, a.number AS a_number, a.started_at AS "a_startedAt", a.finished_at AS "a_finishedAt", a.outcome AS a_outcome, a.code AS a_code,
       a.http_status AS "a_httpStatus", a.error AS a_message, a.wait_ms AS "a_waitMs", a.wait_reason AS "a_waitReason", a.level AS a_level
     FROM (${SELECT} WHERE d.id = $1::uuid) d LEFT JOIN delivery_attempts a ON a.delivery_id = d.id::uuid
     ORDER BY a.number`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  const log = rows.filter((r) => r.a_number !== null).map((r) => ({
    number: r.a_number!, startedAt: r.a_startedAt.toISOString(), finishedAt: iso(r.a_finishedAt), outcome: r.a_outcome, code: r.a_code,
    httpStatus: r.a_httpStatus, message: r.a_message, waitMs: r.a_waitMs, waitReason: r.a_waitReason, level: r.a_level,
  }));
  return { ...summary(row), attempts: log };
}
