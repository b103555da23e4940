import type { FastifyInstance } from 'fastify';
import { InvalidInputError, analystStatusChangeSchema, parseOrThrow, severityFromScore, type Incident, type Severity } from '@rhx/domain';
import { GroupCommit, findIncidentView, listIncidentHistory, listIncidents, parseIncidentHistoryQuery, parseIncidentListQuery } from '@rhx/db';
import { enqueueValidIncidents, validateIncident } from '@rhx/producer';
import { DeliveryRepository, setAnalystStatus } from '@rhx/push';
import { ApiError } from '../api-error.js';
import { operatorOf } from '../auth.js';
import { EnqueueLater } from '../enqueue-later.js';
import { incidentIdParam } from '../incident-id.param.js';
import type { ApiDeps } from '../deps.js';

type IdParams = { Params: { id: string } };

export function incidentRoutes(app: FastifyInstance, deps: ApiDeps): void {
  // Concurrent requests share one INSERT (one commit) and one addBulk; each still answers only after
  // its own incident is committed.
  const store = new GroupCommit((items: { incident: Incident; severity: Severity }[]) => deps.incidents.storeAcceptedMany(items));
  const enqueue = new GroupCommit(async (items: { incident: Incident; stamp: number }[]) => {
    const outboxStamps = new Map(items.map((i) => [i.incident.id, i.stamp]));
    await enqueueValidIncidents(deps.redis, items.map((i) => i.incident), { source: 'api', prefix: deps.config.QUEUE_PREFIX, outboxStamps, retention: deps.queues.retention });
    return items.map(() => undefined);
  });

  const later = new EnqueueLater(
    async (item: { incident: Incident; stamp: number }) => void (await enqueue.submit(item)),
    (item, err) => app.log.warn({ incidentId: item.incident.id, err: (err as Error).message }, 'enqueue still failing; the reconciler will enqueue the incident'),
  );
  app.addHook('onClose', async () => later.stop());

  // 202 means durable: the incident is in PostgreSQL before the answer. The enqueue after it is a
  // signal only; if Redis is away the outbox sweeper enqueues it later.
  app.post('/v1/incidents', async (request, reply) => {
    let incident;
    try {
      incident = validateIncident(request.body);
    } catch (err) {
      if (err instanceof InvalidInputError) deps.metrics.received.inc({ outcome: 'invalid' });
      throw err;
    }
    const stored = await store.submit({ incident, severity: severityFromScore(incident.risk.score) });
    if (stored === null) {
      deps.metrics.received.inc({ outcome: 'duplicate' });
      return reply.code(200).send({ incidentId: incident.id, status: 'duplicate' });
    }
    try {
      await enqueue.submit({ incident, stamp: stored });
    } catch (err) {
      request.log.warn({ incidentId: incident.id, err: (err as Error).message }, 'enqueue failed; it is tried again in the background (the reconciler is the backstop)');
      later.add({ incident, stamp: stored });
    }
    deps.metrics.received.inc({ outcome: 'accepted' });
    return reply.code(202).send({ incidentId: incident.id, status: 'accepted' });
  });

  // Newest first, keyset paged: `{items, nextCursor}`; pass nextCursor back as `after` with the same filters.
  app.get('/v1/incidents', async (request) => {
    const { filter, page, sort } = parseIncidentListQuery(request.query);
    return listIncidents(deps.prisma, filter, page, sort);
  });

  app.get<IdParams>('/v1/incidents/:id', async (request) => {
    const id = incidentIdParam(request.params);
    const view = await findIncidentView(deps.prisma, id);
    if (!view) throw new ApiError(404, 'INCIDENT_NOT_FOUND', `incident ${id} is not known`);
    return view;
  });

  // The analyst's status, recorded with a history row; a close resolves the incident's open tickets
  // where the systems' `lifecycle` says so (one resolve delivery per ticket, answered as `resolves`).
  const statusDeps = { deliveries: new DeliveryRepository(deps.prisma), queues: deps.queues, adapters: deps.adapters };
  app.patch<IdParams & { Body: unknown }>('/v1/incidents/:id', async (request) => {
    const id = incidentIdParam(request.params);
    const change = parseOrThrow(analystStatusChangeSchema, request.body, 'body');
    const set = await setAnalystStatus({ ...statusDeps, logger: request.log }, id, change, 'api', operatorOf(request));
    if (!set) throw new ApiError(404, 'INCIDENT_NOT_FOUND', `incident ${id} is not known`);
    return { incidentId: id, analystStatus: change.analystStatus, previous: set.previous, resolves: set.resolves.map((r) => ({ system: r.system, deliveryId: r.id })) };
  });

  // Oldest first, keyset paged on the history row id: `{items, nextCursor}`; pass nextCursor back as `cursor`.
  app.get<IdParams>('/v1/incidents/:id/history', async (request) => {
    const id = incidentIdParam(request.params);
    const page = parseIncidentHistoryQuery(request.query);
    const history = await listIncidentHistory(deps.prisma, id, page);
    if (!history) throw new ApiError(404, 'INCIDENT_NOT_FOUND', `incident ${id} is not known`);
    return history;
  });
}
