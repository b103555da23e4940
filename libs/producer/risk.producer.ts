import { z } from 'zod';
import { incidentIdSchema, parseOrThrow, riskChangeSchema, type RiskChange } from '@rhx/domain';
import { catalogueJob, jobIds, type RedisClient } from '@rhx/queue';
import { addIncidentEvent } from './incident-event.js';
import type { EnqueueOptions } from './incident.producer.js';

export const eventIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1–64 of A-Z a-z 0-9 . _ : -');

/**
 * Validates a risk-changed event (CONTRACT §3's body: `{score, previousScore?, reason?, newRule?}`) and
 * enqueues it for the push workers, which store it and run the cadence gate for the incident's tickets,
 * exactly as `POST /v1/incidents/:id/risk` does. With `eventId` (the producer's own id for the event)
 * the same event enqueued twice is one job.
 * @param target an ioredis connection (reused, not closed) or a Redis URL (connected and closed here).
 * @throws InvalidInputError naming every offending field; nothing is enqueued then.
 */
export async function enqueueRiskChange(
  target: RedisClient | string,
  incidentId: string,
  input: unknown,
  options: Pick<EnqueueOptions, 'prefix' | 'retention'> & { eventId?: string } = {},
): Promise<RiskChange> {
  const id = parseOrThrow(z.object({ incidentId: incidentIdSchema, eventId: eventIdSchema.optional() }), { incidentId, eventId: options.eventId }, 'risk change');
  const change = parseOrThrow(riskChangeSchema, input, 'risk change');
  // Without the producer's own event id, each enqueue is its own job (BullMQ's own id).
  const job = catalogueJob('risk-changed', { incidentId: id.incidentId, change }, id.eventId ? jobIds.riskChanged(id.incidentId, id.eventId) : undefined, options.retention);
  await addIncidentEvent(target, job, options.prefix);
  return change;
}
