import type { FastifyInstance } from 'fastify';
import { parseOrThrow, riskChangeSchema } from '@rhx/domain';
import { RiskChanges, applyRiskChange } from '@rhx/risk';
import { reopeningSystems } from '@rhx/push';
import { ApiError } from '../api-error.js';
import { incidentIdParam } from '../incident-id.param.js';
import type { ApiDeps } from '../deps.js';

type Req = { Params: { id: string }; Body: unknown };

export function riskRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const riskChanges = new RiskChanges(deps.prisma, deps.config.SNOW_UPDATE_CADENCE_HOURS);
  // The change is stored, and its gate decisions made, before the answer; the updates go out from the queue.
  app.post<Req>('/v1/incidents/:id/risk', async (request, reply) => {
    const id = incidentIdParam(request.params);
    const change = parseOrThrow(riskChangeSchema, request.body, 'body');
    const recorded = await applyRiskChange({ riskChanges, queues: deps.queues, logger: request.log, reopening: () => reopeningSystems(deps.adapters) }, id, change, 'api');
    if (!recorded) throw new ApiError(404, 'INCIDENT_NOT_FOUND', `incident ${id} is not known`);
    return reply.code(202).send({
      incidentId: id,
      ...(recorded.stale ? { stale: true } : {}),
      changeId: recorded.changeId,
      from: recorded.from,
      to: recorded.to,
      tickets: recorded.tickets.map((t) => ({ system: t.system, externalId: t.externalId, push: t.decision.push, reason: t.decision.reason, ...(t.deliveryId ? { deliveryId: t.deliveryId } : {}) })),
    });
  });
}
