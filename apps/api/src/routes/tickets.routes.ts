import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseOrThrow, targetSystemSchema } from '@rhx/domain';
import { DeliveryRepository, createTicketNow, previewTicket } from '@rhx/push';
import { ApiError } from '../api-error.js';
import { operatorOf } from '../auth.js';
import { incidentIdParam } from '../incident-id.param.js';
import type { ApiDeps } from '../deps.js';
import { pushBody, targetQuery } from './tickets.api.js';

type Req<Q = unknown, B = unknown> = { Params: { id: string }; Querystring: Q; Body: B };

const notReady = (r: { code: string; message: string }, system: string) =>
  new ApiError(409, r.code, `${r.message}; configure it with PUT /v1/integrations/${system}`);

export function ticketRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const deliveries = new DeliveryRepository(deps.prisma);

  // The body shown here is the very object the push sends (`JSON.stringify(body)` is the request body).
  app.get<Req<{ target?: string }>>('/v1/incidents/:id/ticket-preview', async (request) => {
    const id = incidentIdParam(request.params);
    const { target } = parseOrThrow(targetQuery, request.query, 'query');
    const result = await previewTicket(deps, id, target);
    if (result.kind === 'unknown-incident') throw new ApiError(404, 'INCIDENT_NOT_FOUND', `incident ${id} is not known`);
    if (result.kind === 'not-ready') throw notReady(result, target);
    return result.preview;
  });

  app.post<Req<unknown, unknown>>('/v1/incidents/:id/tickets', async (request, reply) => {
    const id = incidentIdParam(request.params);
    const { target } = parseOrThrow(pushBody, request.body, 'body');
    const result = await createTicketNow({ prisma: deps.prisma, adapters: deps.adapters, deliveries, queues: deps.queues }, id, target, operatorOf(request));
    switch (result.kind) {
      case 'not-ready':
        throw notReady(result, target);
      case 'unknown-incident':
        throw new ApiError(404, 'INCIDENT_NOT_FOUND', `incident ${id} is not known`);
      case 'ticket-exists':
        throw new ApiError(409, 'TICKET_EXISTS', `incident ${id} already has ${target} ticket ${result.ticket.externalId}`, result.ticket);
      case 'queued':
        return reply.code(202).send({ deliveryId: result.deliveryId });
    }
  });
}
