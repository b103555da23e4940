import type pg from 'pg';
import { z } from 'zod';
import { opaqueCursor, queryInteger, rowIdCursor, type Operator } from '@rhx/domain';

/**
 * Who did what (issue 18): every operator action, through `/v1` (the API token's name) or the console
 * (the console user). What an action concerns of an incident is on its history too; this trail holds
 * them all, settings included, for `GET /v1/audit` and the console's Audit page.
 */
export const AUDIT_ACTIONS = [
  'SETTINGS_SAVED', 'CONNECTION_TESTED', 'AUTO_PUSH_SAVED', 'TICKET_REQUESTED', 'DELIVERY_REDRIVEN', 'ANALYST_STATUS_SET',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  operator: Operator;
  action: AuditAction;
  /** What it acted on: a system, an incident id, a delivery id. */
  target?: string;
  incidentId?: string;
  /** Setting names (never a secret's value), outcomes. */
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  id: string;
  at: string;
  operator: Operator;
  action: string;
  target: string | null;
  incidentId: string | null;
  details: unknown;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** Records `entry`; given a transaction's client, it is written or not with the rest of the transaction. */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (actor_kind, actor, action, target, incident_id, details) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
    [entry.operator.kind, entry.operator.name, entry.action, entry.target ?? null, entry.incidentId ?? null, entry.details ? JSON.stringify(entry.details) : null],
  );
}

const AUDIT_CURSOR = rowIdCursor('a');
export const encodeAuditCursor = AUDIT_CURSOR.encode;
export const decodeAuditCursor = AUDIT_CURSOR.decode;

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

/** `GET /v1/audit`'s query (and the console's filters): strict, so a misspelt parameter is refused naming it. */
export const auditQueryFields = z.strictObject({
  limit: queryInteger(1, AUDIT_PAGE_MAX, AUDIT_PAGE_DEFAULT),
  cursor: opaqueCursor(decodeAuditCursor).optional().describe('The previous page’s `nextCursor`, unchanged.'),
  actor: z.string().trim().min(1).max(256).optional().describe('Only what this operator did: an API token’s name or a console user.'),
  action: z.enum(AUDIT_ACTIONS).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('Only actions at or after this time (ISO 8601).'),
  until: z.iso.datetime({ offset: true }).optional().describe('Only actions before this time (ISO 8601).'),
});
export type AuditQuery = z.output<typeof auditQueryFields>;

/**
 * A page of the trail, newest first. Keyset paging on the id (rows are only appended): a page never
 * shifts when actions are recorded meanwhile, and costs the same at any depth.
 */
export async function auditPage(db: Queryable, query: AuditQuery): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  const { rows } = await db.query<{ id: string; at: Date; actor_kind: Operator['kind']; actor: string; action: string; target: string | null; incident_id: string | null; details: unknown }>(
    `SELECT id::text, at, actor_kind, actor, action, target, incident_id, details FROM audit_events
     WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR action = $3)
       AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)
     ORDER BY audit_events.id DESC LIMIT $6`, // the column: a bare `id` would be the text selected above
    [query.cursor?.toString() ?? null, query.actor ?? null, query.action ?? null, query.since ?? null, query.until ?? null, query.limit + 1],
  );
  const shown = rows.slice(0, query.limit);
  return {
    items: shown.map((r) => ({
      id: r.id, at: r.at.toISOString(), operator: { kind: r.actor_kind, name: r.actor }, action: r.action, target: r.target, incidentId: r.incident_id, details: r.details,
    })),
    nextCursor: rows.length > query.limit ? encodeAuditCursor(shown.at(-1)!.id) : null,
  };
}
