import { z } from 'zod';
import { analystStatusChangeSchema, incidentIdSchema, parseOrThrow, type AnalystStatusChange } from '@rhx/domain';
import { catalogueJob, jobIds, type RedisClient } from '@rhx/queue';
import { addIncidentEvent } from './incident-event.js';
import type { EnqueueOptions } from './incident.producer.js';
import { eventIdSchema } from './risk.producer.js';

/**
 * Validates an analyst's status (`PATCH /v1/incidents/:id`'s body: `{analystStatus, note?}`) and enqueues
 * it for the workers, which record it exactly as the API does: CLOSED or FALSE_POSITIVE resolves the
 * incident's open tickets where each system's `lifecycle` says so. With `eventId` (the producer's own id
 * for the event) the same event enqueued twice is one job.
 * @param target an ioredis connection (reused, not closed) or a Redis URL (connected and closed here).
 * @throws InvalidInputError naming every offending field; nothing is enqueued then.
 */
export async function enqueueAnalystStatus(
  target: RedisClient | string,
  incidentId: string,
  input: unknown,
  options: Pick<EnqueueOptions, 'prefix' | 'retention'> & { eventId?: string } = {},
): Promise<AnalystStatusChange> {
  const id = parseOrThrow(z.object({ incidentId: incidentIdSchema, eventId: eventIdSchema.optional() }), { incidentId, eventId: options.eventId }, 'analyst status');
  const change = parseOrThrow(analystStatusChangeSchema, input, 'analyst status');
  const job = catalogueJob('analyst-status', { incidentId: id.incidentId, change }, id.eventId ? jobIds.analystStatus(id.incidentId, id.eventId) : undefined, options.retention);
  await addIncidentEvent(target, job, options.prefix);
  return change;
}
