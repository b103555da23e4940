import type { FastifyInstance } from 'fastify';
import { ANALYST_STATUSES, RISK_LEVELS } from '@rhx/domain';
import { listIncidents, parseIncidentListQuery } from '@rhx/db';
import { CONSOLE_PATH, type ConsoleContext } from '../console-context.js';
import { VIEW_HELPERS } from '../view-helpers.js';
import { nonEmpty } from '../form.js';
import { renderPage } from '../render.js';

const PAGE_SIZES = [25, 50, 100, 200] as const;
const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS', 'RETRY_WAIT']);

/** The incident list: the same query, service and paging as `GET /v1/incidents`. */
export function incidentPages(scope: FastifyInstance, ctx: ConsoleContext): void {
  scope.get('/incidents', async (request, reply) => {
    const query = nonEmpty(request.query);
    const { filter, page, sort } = parseIncidentListQuery(query);
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
