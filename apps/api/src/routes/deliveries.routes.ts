import type { FastifyInstance } from 'fastify';
import { parseOrThrow } from '@rhx/domain';
import { DeliveryRepository, redriveDelivery, redriveRefusal } from '@rhx/push';
import { ApiError } from '../api-error.js';
import { operatorOf } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { deliveryIdParams, deliveryListQuery } from './deliveries.api.js';

type IdReq = { Params: { id: string } };

/**
 * The `:id` of a delivery route: a string no delivery can have is the caller's mistake (400 naming `id`),
 * as with incident ids; a well-formed unknown id is 404.
 */
function deliveryIdParam(params: unknown): string {
  return parseOrThrow(deliveryIdParams, params, 'path').id.toLowerCase();
}

const notFound = (id: string) => new ApiError(404, 'DELIVERY_NOT_FOUND', `delivery ${id} is not known`);

export function deliveryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const deliveries = new DeliveryRepository(deps.prisma);
  app.get('/v1/deliveries', async (request) => {
    const { cursor, limit, ...filter } = parseOrThrow(deliveryListQuery, request.query, 'query');
    return deliveries.list(filter, { limit, ...(cursor ? { after: cursor } : {}) });
  });

  app.get<IdReq>('/v1/deliveries/:id', async (request) => {
    const id = deliveryIdParam(request.params);
    const delivery = await deliveries.find(id);
    if (!delivery) throw notFound(id);
    return delivery;
  });

  app.post<IdReq>('/v1/deliveries/:id/retry', async (request, reply) => {
    const id = deliveryIdParam(request.params);
    const result = await redriveDelivery({ deliveries, queues: deps.queues }, id, operatorOf(request));
    if (result.kind === 'not-found') throw notFound(id);
    if (result.kind === 'refused') {
      const refusal = redriveRefusal(result.delivery);
      throw new ApiError(409, refusal.code, refusal.message, refusal.details);
    }
    const { delivery, enqueueError } = result;
    const fields = { incidentId: delivery.incidentId, system: delivery.system, deliveryId: delivery.id, attempt: delivery.attempts };
    if (enqueueError) request.log.warn({ ...fields, err: (enqueueError as Error).message }, 'delivery re-driven; enqueue failed, the outbox sweeper will enqueue it');
    else request.log.info(fields, 'delivery re-driven');
    return reply.code(202).send({ deliveryId: delivery.id, status: 'PENDING' });
  });
}
