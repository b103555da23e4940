import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ANALYST_STATUSES, RISK_LEVELS, parseOrThrow } from '@rhx/domain';
import { listIncidents, parseIncidentListQuery } from '@rhx/db';
import { CONSOLE_PATH, type ConsoleContext } from '../console-context.js';
import { VIEW_HELPERS } from '../view-helpers.js';
import { nonEmpty } from '../form.js';
import { renderPage } from '../render.js';

const PAGE_SIZES = [25, 50, 100, 200] as const;
const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS', 'RETRY_WAIT']);
const DAY_MS = 86_400_000;
const day = z.iso.date('must be a date (YYYY-MM-DD)');
const raisedDays = z.object({ raisedFrom: day.optional(), raisedTo: day.optional() });

/**
 * The form's "Raised from/to" are days (an analyst asks "what was raised on the 3rd"), read as UTC days
 * and turned into the list's instants: from the first day's start to the end of the last one.
 * A `raisedSince`/`raisedUntil` already in the query (a link from the API's terms) is kept when no day is given.
 */
export function withRaisedDays(query: Record<string, string>): Record<string, string> {
  const { raisedFrom, raisedTo, ...rest } = query;
  const days = parseOrThrow(raisedDays, { raisedFrom, raisedTo }, 'filter');
  return {
    ...rest,
    ...(days.raisedFrom ? { raisedSince: `${days.raisedFrom}T00:00:00.000Z` } : {}),
    ...(days.raisedTo ? { raisedUntil: new Date(Date.parse(`${days.raisedTo}T00:00:00Z`) + DAY_MS).toISOString() } : {}),
  };
}

/** The incident list: the same query, service and paging as `GET /v1/incidents`. */
export function incidentPages(scope: FastifyInstance, ctx: ConsoleContext): void {
  scope.get('/incidents', async (request, reply) => {
    const query = nonEmpty(request.query);
    const { filter, page, sort } = parseIncidentListQuery(withRaisedDays(query));
    const list = await listIncidents(ctx.deps.prisma, filter, page, sort);
    const { after: _after, ...filters } = query;
    // While a listed incident's ticket is being made, the list refreshes itself (as the incident page does).
    const inFlight = list.items.some((i) => i.deliveries.some((d) => IN_FLIGHT.has(d.status)));
    return renderPage(ctx, request, reply, 'incidents', {
      title: 'Incidents', nav: 'incidents', list, filters, levels: RISK_LEVELS, statuses: ANALYST_STATUSES, sizes: PAGE_SIZES,
      firstPage: !page.after, inFlight, self: `${CONSOLE_PATH}/incidents${VIEW_HELPERS.query(query)}`,
    });
  });
}
