import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { incidentSchema, parseOrThrow, targetSystemSchema } from '@rhx/domain';
import { DeliveryRepository, requestManualPush } from '@rhx/push';
import { ApiError } from '../api-error.js';
import { incidentIdParam } from '../incident-id.param.js';
import type { ApiDeps } from '../deps.js';
import { pushBody, targetQuery } from './tickets.api.js';

type Req<Q = unknown, B = unknown> = { Params: { id: string }; Querystring: Q; Body: B };

export function ticketRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const deliveries = new DeliveryRepository(deps.prisma);
  async function readyAdapter(system: z.infer<typeof targetSystemSchema>) {
    const target = await deps.adapters.forSystem(system);
    if (!target.ready) {
      const code = target.reason === 'disabled' ? 'TARGET_DISABLED' : 'TARGET_NOT_CONFIGURED';
      throw new ApiError(409, code, `${target.message}; configure it with PUT /v1/integrations/${system}`);
    }
    return target.adapter;
  }

  // The body shown here is the very object the push sends (`JSON.stringify(body)` is the request body).
  app.get<Req<{ target?: string }>>('/v1/incidents/:id/ticket-preview', async (request) => {
    const id = incidentIdParam(request.params);
    const { target } = parseOrThrow(targetQuery, request.query, 'query');
    const row = await deps.prisma.incident.findUnique({ where: { id }, select: { payload: true } });
    if (!row) throw new ApiError(404, 'INCIDENT_NOT_FOUND', `incident ${id} is not known`);
    const adapter = await readyAdapter(target);
    const preview = await adapter.prepareCreate(incidentSchema.parse(row.payload));
    return { target, summary: preview.summary, description: preview.description, priority: preview.priority, body: preview.body };
  });

  app.post<Req<unknown, unknown>>('/v1/incidents/:id/tickets', async (request, reply) => {
    const id = incidentIdParam(request.params);
    const { target } = parseOrThrow(pushBody, request.body, 'body');
    await readyAdapter(target);
    const result = await requestManualPush({ prisma: deps.prisma, deliveries, queues: deps.queues }, id, target);
    switch (result.kind) {
      case 'unknown-incident':
        throw new ApiError(404, 'INCIDENT_NOT_FOUND', `incident ${id} is not known`);
      case 'ticket-exists':
        throw new ApiError(409, 'TICKET_EXISTS', `incident ${id} already has ${target} ticket ${result.ticket.externalId}`, result.ticket);
      case 'queued':
        return reply.code(202).send({ deliveryId: result.deliveryId });
    }
  });
}
