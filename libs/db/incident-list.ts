import { z } from 'zod';
import { analystStatusSchema, fieldProblems, incidentIdSchema, InvalidInputError, opaqueCursor, queryInteger, riskLevelSchema, type AnalystStatus, type FieldProblem, type Severity } from '@rhx/domain';
import { poolOf, type PrismaClient } from './client.js';

/** Which incidents a list shows. Every filter left out matches everything. */
export interface IncidentListFilter {
  severity?: Severity;
  /** True: only incidents with at least one ticket reference; false: only those with none. */
  hasTicket?: boolean;
  /** True: only incidents with a FAILED delivery (nothing more will be tried without a re-drive); false: none. */
  failed?: boolean;
  /**
   * Search (issue 18): an incident id or a ticket key (SEC-4, INC0010004, CS0100001), whole and in any case,
   * or a part of the actor's name or entity.
   */
  q?: string;
  analystStatus?: AnalystStatus;
  /** Raised (the incident's own time) at or after / before these instants. */
  raisedSince?: Date;
  raisedUntil?: Date;
}

/** The list's order: newest received first (the default), or highest score first (then newest). */
export const INCIDENT_SORTS = ['received', 'score'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];

/** A position in the list: the last incident shown, by (score,) receipt time, then id. */
export interface IncidentCursor {
  /** Set when the list is sorted by score. */
  score?: number;
  receivedAt: Date;
  id: string;
}

/** One row of the list: the incident's headline facts, its tickets and where its ticket deliveries stand. */
export interface IncidentListItem {
  id: string;
  actor: { name: string; type: string };
  score: number;
  severity: string;
  analystStatus: string;
  raisedAt: string;
  receivedAt: string;
  tickets: { system: string; externalId: string; url: string }[];
  /** The delivery that creates each system's ticket (updates of an existing ticket are not listed). */
  deliveries: { id: string; system: string; status: string; attempts: number }[];
}

export interface IncidentPage {
  items: IncidentListItem[];
  /** Pass back as `after` (with the same filters) for the next, older page; null on the last page. */
  nextCursor: string | null;
}

/**
 * The opaque cursor of a page: base64url of `<receivedAt ISO>_<id>`, or `s<score>:<receivedAt ISO>_<id>` in
 * score order (an ISO time has no `_`; an id may).
 */
export function encodeIncidentCursor(cursor: IncidentCursor): string {
  const head = cursor.score === undefined ? '' : `s${cursor.score}:`;
  return Buffer.from(`${head}${cursor.receivedAt.toISOString()}_${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor {@link encodeIncidentCursor} made, or undefined for anything else (truncated or edited). */
export function decodeIncidentCursor(text: string): IncidentCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,220}$/.test(text)) return undefined;
  let decoded = Buffer.from(text, 'base64url').toString('utf8');
  let score: number | undefined;
  const scored = /^s(\d{1,3}):/.exec(decoded);
  if (scored) {
    score = Number(scored[1]);
    decoded = decoded.slice(scored[0].length);
  }
  const sep = decoded.indexOf('_');
  if (sep < 0) return undefined;
  const stamp = decoded.slice(0, sep);
  const id = decoded.slice(sep + 1);
  const receivedAt = new Date(stamp);
  if (Number.isNaN(receivedAt.getTime()) || receivedAt.toISOString() !== stamp || !incidentIdSchema.safeParse(id).success) return undefined;
  return { ...(score === undefined ? {} : { score }), receivedAt, id };
}

export const INCIDENT_PAGE_DEFAULT = 50;
export const INCIDENT_PAGE_MAX = 200;

const flag = z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true');
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time (2026-12-04T08:00:00Z)' }).transform((t) => new Date(t));

/**
 * The list's query as `GET /v1/incidents` and the console take it: strict, so a misspelt filter
 * (`?severty=HIGH`) is refused naming it instead of answering with the whole list.
 */
export const incidentListQueryFields = z.strictObject({
  q: z.string().trim().min(1, 'must not be empty').max(256, 'must be at most 256 characters')
    .refine((v) => !/[\u0000-\u001f]/.test(v), 'must not hold control characters').optional()
    .describe('Search: an incident id or ticket key (SEC-4, INC0010004, CS0100001), whole, in any case; or part of the actor’s name or entity.'),
  severity: riskLevelSchema.optional(),
  analystStatus: analystStatusSchema.optional(),
  hasTicket: flag.optional(),
  failed: flag.optional(),
  raisedSince: instant.optional().describe('Only incidents raised at or after this time.'),
  raisedUntil: instant.optional().describe('Only incidents raised before this time.'),
  sort: z.enum(INCIDENT_SORTS).default('received').describe('`received`: newest first (the default); `score`: highest risk first, then newest.'),
  limit: queryInteger(1, INCIDENT_PAGE_MAX, INCIDENT_PAGE_DEFAULT),
  after: opaqueCursor(decodeIncidentCursor).optional(),
});

const PARAMETERS = Object.keys(incidentListQueryFields.shape).join(', ');

/** {@link incidentListQueryFields} turned into the list's filter, order and page. */
export const incidentListQuerySchema = incidentListQueryFields
  .refine((q) => !q.after || (q.after.score !== undefined) === (q.sort === 'score'), { path: ['after'], message: 'is a cursor of the list in another order; start again without it' })
  .transform(({ limit, after, sort, ...rest }) => ({
    filter: Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as IncidentListFilter,
    sort,
    page: { limit, ...(after ? { after } : {}) },
  }));

/**
 * The list's filter and page from a query (`GET /v1/incidents`, the console's Incidents page).
 * @throws InvalidInputError naming each bad parameter, an unknown one by its own name.
 */
export function parseIncidentListQuery(query: unknown): z.output<typeof incidentListQuerySchema> {
  const result = incidentListQuerySchema.safeParse(query);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue): FieldProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: key, message: `is not a parameter of this list; the parameters are ${PARAMETERS}` }))
      : fieldProblems(new z.ZodError([issue])),
  );
  throw new InvalidInputError('query', problems);
}

type Row = {
  id: string; actor_name: string; actor_type: string; risk_score: number; severity: string; analyst_status: string; occurred_at: Date; received_at: Date;
  tickets: IncidentListItem['tickets']; deliveries: IncidentListItem['deliveries'];
};

// Tickets and deliveries are sub-selects of the rows the LIMIT keeps, so a page costs the same at any depth.
const SELECT = `SELECT i.id, i.actor_name, i.actor_type, i.risk_score, i.severity, i.analyst_status, i.occurred_at, i.received_at,
    COALESCE((SELECT json_agg(json_build_object('system', t.system, 'externalId', t.external_id, 'url', t.url) ORDER BY t.system)
      FROM ticket_refs t WHERE t.incident_id = i.id AND t.retired_at IS NULL), '[]') AS tickets,
    COALESCE((SELECT json_agg(json_build_object('id', d.id, 'system', d.system, 'status', d.status, 'attempts', d.attempts) ORDER BY d.system)
      FROM deliveries d WHERE d.incident_id = i.id AND d.kind = 'create'), '[]') AS deliveries
  FROM incidents i`;

/**
 * Incidents newest first (receipt time, then id), filtered, one page at a time. Keyset paging: a page
 * starts strictly after the cursor's row, so incidents arriving meanwhile never shift a page, and each
 * page walks `incidents_received_idx` (or `incidents_severity_received_idx` for one severity) backwards
 * from the cursor instead of skipping rows. The ticket and failure filters are (anti-)semi-joins the
 * planner may run from either side: from the incidents when most match, from `ticket_refs` or the
 * FAILED deliveries (`deliveries_status_updated_at_idx`) when few do.
 */
export async function listIncidents(
  prisma: PrismaClient, filter: IncidentListFilter, page: { limit: number; after?: IncidentCursor }, sort: IncidentSort = 'received',
): Promise<IncidentPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  if (filter.severity) where.push(`i.severity = ${bind(filter.severity)}`);
  if (filter.analystStatus) where.push(`i.analyst_status = ${bind(filter.analystStatus)}`);
  if (filter.raisedSince) where.push(`i.occurred_at >= ${bind(filter.raisedSince)}`);
  if (filter.raisedUntil) where.push(`i.occurred_at < ${bind(filter.raisedUntil)}`);
  if (filter.q) {
    // Ids and ticket keys whole (an index look-up each); names and entities by a part (a scan of the rows
    // the other filters leave). LIKE's own wildcards in the text are taken literally.
    const exact = bind(filter.q.toLowerCase());
    const part = bind(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(lower(i.id) = ${exact} OR i.actor_name ILIKE ${part} OR (i.payload->'actor'->>'entity') ILIKE ${part}
      OR EXISTS (SELECT 1 FROM ticket_refs t WHERE t.incident_id = i.id AND lower(t.external_id) = ${exact}))`);
  }
  const exists = (yes: boolean, sub: string) => `${yes ? '' : 'NOT '}EXISTS (${sub})`;
  if (filter.hasTicket !== undefined) where.push(exists(filter.hasTicket, 'SELECT 1 FROM ticket_refs t WHERE t.incident_id = i.id AND t.retired_at IS NULL'));
  // `failed` means a create: the incident's ticket could not be made (a failed update shows on the incident).
  if (filter.failed !== undefined) where.push(exists(filter.failed, `SELECT 1 FROM deliveries d WHERE d.incident_id = i.id AND d.status = 'FAILED' AND d.kind = 'create'`));
  if (page.after) {
    const at = bind(page.after.receivedAt);
    where.push(sort === 'score'
      ? `(i.risk_score, i.received_at, i.id) < (${bind(page.after.score ?? 0)}::int, ${at}::timestamptz, ${bind(page.after.id)})`
      : `(i.received_at, i.id) < (${at}::timestamptz, ${bind(page.after.id)})`);
  }
  const order = sort === 'score' ? 'i.risk_score DESC, i.received_at DESC, i.id DESC' : 'i.received_at DESC, i.id DESC';
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${order} LIMIT ${bind(page.limit + 1)}`;
  const { rows } = await poolOf(prisma).query<Row>(sql, params);
  const items = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    actor: { name: r.actor_name, type: r.actor_type },
    score: r.risk_score,
    severity: r.severity,
    analystStatus: r.analyst_status,
    raisedAt: r.occurred_at.toISOString(),
    receivedAt: r.received_at.toISOString(),
    tickets: r.tickets,
    deliveries: r.deliveries,
  }));
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return {
    items,
    nextCursor: last ? encodeIncidentCursor({ ...(sort === 'score' ? { score: last.risk_score } : {}), receivedAt: last.received_at, id: last.id }) : null,
  };
}
