import { z } from 'zod';
import { fieldProblems, InvalidInputError, opaqueCursor, rowIdCursor, type FieldProblem } from '@rhx/domain';
import type { PrismaClient } from './client.js';

/** One row of an incident's audit trail as the API and the console show it. */
export interface HistoryEntry {
  at: string;
  action: string;
  source: string;
  message: string | null;
  oldValue: unknown;
  newValue: unknown;
  /** The operator whose action wrote the row (issue 18); null for what the fleet did by itself. */
  operator: { kind: string; name: string } | null;
}

export interface HistoryPage {
  items: HistoryEntry[];
  /** Pass back as `cursor` for the next page in the same order; null on the last page. */
  nextCursor: string | null;
}

/**
 * Which way a page walks the trail: `oldest-first` is the API's (CONTRACT §3); `newest-first` is the
 * console's, where an analyst looks at what happened last.
 */
export type HistoryOrder = 'oldest-first' | 'newest-first';

export interface HistoryPageRequest {
  limit: number;
  /** The history row id of the last row of the previous page; the page starts strictly past it. */
  after?: bigint;
  /** Default `oldest-first`. */
  order?: HistoryOrder;
}

export const HISTORY_PAGE_DEFAULT = 50;
export const HISTORY_PAGE_MAX = 200;

// The opaque cursor of a page: the last row's id (a bigserial, so rows appended later sort after it).
const HISTORY_CURSOR = rowIdCursor('h');
export const encodeHistoryCursor: (rowId: bigint) => string = HISTORY_CURSOR.encode;
export const decodeHistoryCursor = HISTORY_CURSOR.decode;

/** `GET /v1/incidents/:id/history`'s query: strict, so a misspelt parameter is refused naming it. */
export const incidentHistoryQueryFields = z.strictObject({
  limit: z.coerce.number().int().min(1).max(HISTORY_PAGE_MAX).default(HISTORY_PAGE_DEFAULT),
  cursor: opaqueCursor(decodeHistoryCursor).optional().describe('The previous page’s `nextCursor`, unchanged.'),
});

/**
 * The page asked for by a query of `GET /v1/incidents/:id/history`.
 * @throws InvalidInputError naming each bad parameter, an unknown one by its own name.
 */
export function parseIncidentHistoryQuery(query: unknown): HistoryPageRequest {
  const result = incidentHistoryQueryFields.safeParse(query);
  if (result.success) return { limit: result.data.limit, ...(result.data.cursor ? { after: result.data.cursor } : {}) };
  const problems = result.error.issues.flatMap((issue): FieldProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: key, message: 'is not a parameter of this list; the parameters are limit, cursor' }))
      : fieldProblems(new z.ZodError([issue])),
  );
  throw new InvalidInputError('query', problems);
}

/**
 * One page of an incident's audit trail, or null when the incident is unknown. Keyset paging on the
 * history row id (a bigserial; rows are only appended): a page is one range of the
 * `(incident_id, id)` index read from the cursor on, so it costs the same at any depth, and rows
 * written meanwhile never shift a page (oldest first, they come on a later page; newest first, they
 * are ahead of the first page and appear on a reload).
 */
export async function listIncidentHistory(prisma: PrismaClient, incidentId: string, page: HistoryPageRequest): Promise<HistoryPage | null> {
  const exists = await prisma.incident.findUnique({ where: { id: incidentId }, select: { id: true } });
  if (!exists) return null;
  const newestFirst = page.order === 'newest-first';
  const rows = await prisma.incidentHistory.findMany({
    where: { incidentId, ...(page.after === undefined ? {} : { id: newestFirst ? { lt: page.after } : { gt: page.after } }) },
    orderBy: { id: newestFirst ? 'desc' : 'asc' },
    take: page.limit + 1,
  });
  const shown = rows.slice(0, page.limit);
  const last = rows.length > page.limit ? shown[shown.length - 1] : undefined;
  return {
    items: shown.map((h) => ({
      at: h.createdAt.toISOString(), action: h.action, source: h.source, message: h.message, oldValue: h.oldValue, newValue: h.newValue,
      operator: h.actorKind && h.actor ? { kind: h.actorKind, name: h.actor } : null,
    })),
    nextCursor: last ? encodeHistoryCursor(last.id) : null,
  };
}

/** The incident's applied risk changes, oldest first (the latest `limit`): for the console's score chart. */
export async function riskHistory(prisma: PrismaClient, incidentId: string, limit = 500): Promise<{ at: string; from: number | null; to: number }[]> {
  const rows = await prisma.$queryRaw<{ at: Date; from: number | null; to: number | null }[]>`
    SELECT created_at AS at, (old_value->>'score')::int AS "from", (new_value->>'score')::int AS "to" FROM (
      SELECT id, created_at, old_value, new_value FROM incident_history WHERE incident_id = ${incidentId} AND action = 'RISK_CHANGED'
      ORDER BY id DESC LIMIT ${limit}) h ORDER BY id`;
  return rows.flatMap((r) => (r.to === null ? [] : [{ at: r.at.toISOString(), from: r.from, to: r.to }]));
}
