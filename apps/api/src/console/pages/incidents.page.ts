import type { FastifyInstance } from 'fastify';
import { RISK_LEVELS } from '@rhx/domain';
import { listIncidents, parseIncidentListQuery } from '@rhx/db';
import type { ConsoleContext } from '../console-context.js';
import { nonEmpty } from '../form.js';
import { renderPage } from '../render.js';

/** The incident list: the same query, service and paging as `GET /v1/incidents`. */
export function incidentPages(scope: FastifyInstance, ctx: ConsoleContext): void {
  scope.get('/incidents', async (request, reply) => {
    const query = nonEmpty(request.query);
    const { filter, page } = parseIncidentListQuery(query);
    const list = await listIncidents(ctx.deps.prisma, filter, page);
    const filters = { severity: query.severity, hasTicket: query.hasTicket, failed: query.failed, limit: query.limit };
    return renderPage(ctx, request, reply, 'incidents', {
      title: 'Incidents', nav: 'incidents', list, filters, levels: RISK_LEVELS, firstPage: !page.after,
    });
  });
}
