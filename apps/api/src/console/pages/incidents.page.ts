import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ANALYST_STATUSES, RISK_LEVELS, parseOrThrow } from '@rhx/domain';
import { listIncidents, parseIncidentListQuery } from '@rhx/db';
import { CONSOLE_PATH, type ConsoleContext } from '../console-context.js';
import { VIEW_HELPERS } from '../view-helpers.js';
import { dayField, dayRange, nonEmpty } from '../form.js';
import { renderPage } from '../render.js';

const PAGE_SIZES = [25, 50, 100, 200] as const;
const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS', 'RETRY_WAIT']);
const raisedDays = z.object({ raisedFrom: dayField.optional(), raisedTo: dayField.optional() });

/**
 * The form's "Raised from/to" days turned into the list's instants ({@link dayRange}).
 * A `raisedSince`/`raisedUntil` already in the query (a link from the API's terms) is kept when no day is given.
 */
export function withRaisedDays(query: Record<string, string>): Record<string, string> {
  const { raisedFrom, raisedTo, ...rest } = query;
  const days = parseOrThrow(raisedDays, { raisedFrom, raisedTo }, 'filter');
  const { since, until } = dayRange(days.raisedFrom, days.raisedTo);
  return { ...rest, ...(since ? { raisedSince: since } : {}), ...(until ? { raisedUntil: until } : {}) };
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
