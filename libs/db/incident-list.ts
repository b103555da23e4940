import { z } from 'zod';
import { fieldProblems, incidentIdSchema, InvalidInputError, opaqueCursor, queryInteger, riskLevelSchema, type FieldProblem, type Severity } from '@rhx/domain';
import { poolOf, type PrismaClient } from './client.js';

/** Which incidents a list shows. Every filter left out matches everything. */
export interface IncidentListFilter {
  severity?: Severity;
  /** True: only incidents with at least one ticket reference; false: only those with none. */
  hasTicket?: boolean;
  /** True: only incidents with a FAILED delivery (nothing more will be tried without a re-drive); false: none. */
  failed?: boolean;
}

/** A position in the newest-first list: the last incident shown, by receipt time then id. */
export interface IncidentCursor {
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

/** The opaque cursor of a page: base64url of `<receivedAt ISO>_<id>` (an ISO time has no `_`; an id may). */
export function encodeIncidentCursor(cursor: IncidentCursor): string {
  return Buffer.from(`${cursor.receivedAt.toISOString()}_${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor {@link encodeIncidentCursor} made, or undefined for anything else (truncated or edited). */
export function decodeIncidentCursor(text: string): IncidentCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const sep = decoded.indexOf('_');
  if (sep < 0) return undefined;
  const stamp = decoded.slice(0, sep);
  const id = decoded.slice(sep + 1);
  const receivedAt = new Date(stamp);
  if (Number.isNaN(receivedAt.getTime()) || receivedAt.toISOString() !== stamp || !incidentIdSchema.safeParse(id).success) return undefined;
  return { receivedAt, id };
}

export const INCIDENT_PAGE_DEFAULT = 50;
export const INCIDENT_PAGE_MAX = 200;

const flag = z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true');

/**
 * The list's query as `GET /v1/incidents` and the console take it: strict, so a misspelt filter
 * (`?severty=HIGH`) is refused naming it instead of answering with the whole list.
 */
export const incidentListQueryFields = z.strictObject({
  severity: riskLevelSchema.optional(),
  hasTicket: flag.optional(),
  failed: flag.optional(),
  limit: queryInteger(1, INCIDENT_PAGE_MAX, INCIDENT_PAGE_DEFAULT),
  after: opaqueCursor(decodeIncidentCursor).optional(),
});

/** {@link incidentListQueryFields} turned into the list's filter and page. */
export const incidentListQuerySchema = incidentListQueryFields.transform(({ limit, after, severity, hasTicket, failed }) => ({
  filter: { ...(severity ? { severity } : {}), ...(hasTicket === undefined ? {} : { hasTicket }), ...(failed === undefined ? {} : { failed }) } as IncidentListFilter,
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
      ? issue.keys.map((key) => ({ path: key, message: 'is not a parameter of this list; the parameters are severity, hasTicket, failed, limit, after' }))
      : fieldProblems(new z.ZodError([issue])),
  );
  throw new InvalidInputError('query', problems);
}

type Row = {
  id: string; actor_name: string; actor_type: string; risk_score: number; severity: string; analyst_status: string; received_at: Date;
  tickets: IncidentListItem['tickets']; deliveries: IncidentListItem['deliveries'];
};

// Tickets and deliveries are sub-selects of the rows the LIMIT keeps, so a page costs the same at any depth.
const SELECT = `SELECT i.id, i.actor_name, i.actor_type, i.risk_score, i.severity, i.analyst_status, i.received_at,
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
export async function listIncidents(prisma: PrismaClient, filter: IncidentListFilter, page: { limit: number; after?: IncidentCursor }): Promise<IncidentPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  if (filter.severity) where.push(`i.severity = ${bind(filter.severity)}`);
  const exists = (yes: boolean, sub: string) => `${yes ? '' : 'NOT '}EXISTS (${sub})`;
  if (filter.hasTicket !== undefined) where.push(exists(filter.hasTicket, 'SELECT 1 FROM ticket_refs t WHERE t.incident_id = i.id AND t.retired_at IS NULL'));
  // `failed` means a create: the incident's ticket could not be made (a failed update shows on the incident).
  if (filter.failed !== undefined) where.push(exists(filter.failed, `SELECT 1 FROM deliveries d WHERE d.incident_id = i.id AND d.status = 'FAILED' AND d.kind = 'create'`));
  if (page.after) {
    const at = bind(page.after.receivedAt);
    where.push(`(i.received_at, i.id) < (${at}::timestamptz, ${bind(page.after.id)})`);
  }
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY i.received_at DESC, i.id DESC LIMIT ${bind(page.limit + 1)}`;
  const { rows } = await poolOf(prisma).query<Row>(sql, params);
  const items = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    actor: { name: r.actor_name, type: r.actor_type },
    score: r.risk_score,
    severity: r.severity,
    analystStatus: r.analyst_status,
    receivedAt: r.received_at.toISOString(),
    tickets: r.tickets,
    deliveries: r.deliveries,
  }));
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return { items, nextCursor: last ? encodeIncidentCursor({ receivedAt: last.received_at, id: last.id }) : null };
}
