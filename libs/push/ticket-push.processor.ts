import { TicketError, type TicketAdapter, type TicketReference } from '@rhx/adapters';
import { incidentSchema, type Incident } from '@rhx/domain';
import { deliveryLogger, type Logger } from '@rhx/logger';
import type { JobPayload } from '@rhx/queue';
import type { AdapterProvider } from './adapter-provider.js';
import type { DeliveryRepository } from './delivery.repository.js';

export interface PushDeps {
  deliveries: DeliveryRepository;
  adapters: AdapterProvider;
  logger: Logger;
}

export type PushOutcome = 'created' | 'adopted' | 'already-done' | 'skipped' | 'failed';

// The request may have reached the remote and made the ticket before this failure was seen.
const OUTCOME_UNKNOWN = new Set(['TIMEOUT', 'NETWORK', 'REMOTE_UNAVAILABLE', 'UNEXPECTED_RESPONSE']);

/**
 * Makes the ticket of one delivery, exactly once: returns early when the work is done, records the
 * attempt before the remote call, and when an earlier attempt's outcome is unknown asks the remote for
 * the ticket (findExisting) and adopts it instead of creating a second one. The reference, the
 * delivery's success and the history row are written in one transaction.
 * Failures are recorded on the delivery with the remote's own message; they are not thrown, so the
 * job completes (retrying is the retry worker's business).
 */
export async function processTicketPush(deps: PushDeps, payload: JobPayload<'ticket-push'>): Promise<PushOutcome> {
  const delivery = await deps.deliveries.load(payload.deliveryId);
  if (!delivery) throw new Error(`delivery ${payload.deliveryId} does not exist`);
  const attempt = delivery.attempts + 1;
  const log = deliveryLogger(deps.logger, { incidentId: delivery.incidentId, system: delivery.system, deliveryId: delivery.id, attempt });
  const d = { id: delivery.id, incidentId: delivery.incidentId, system: payload.system, attempt };
  if (delivery.status === 'SUCCEEDED' || delivery.status === 'SKIPPED' || delivery.hasTicket) {
    log.debug('delivery already done');
    return 'already-done';
  }
  const target = await deps.adapters.forSystem(payload.system);
  if (!target.ready) {
    await deps.deliveries.recordSkip(d, target.reason, `${target.message}; ticket not created`);
    log.warn({ reason: target.reason }, 'delivery skipped: target system not ready');
    return 'skipped';
  }
  const incident = incidentSchema.parse(delivery.payload);
  if (!(await deps.deliveries.startAttempt(delivery.id, attempt))) {
    log.warn('another run of this delivery is in flight; leaving it to that run');
    return 'already-done';
  }
  try {
    if (delivery.outcomeUnknown) {
      const existing = await target.adapter.findExisting(incident.id);
      if (existing) {
        await record(deps, d, existing, 'TICKET_ADOPTED', undefined);
        log.info({ externalId: existing.externalId }, 'ticket adopted from an earlier attempt');
        return 'adopted';
      }
    }
    const { ref, priority } = await create(target.adapter, incident);
    await record(deps, d, ref, 'TICKET_CREATED', priority);
    log.info({ externalId: ref.externalId, url: ref.url }, 'ticket created');
    return 'created';
  } catch (err) {
    const error = err instanceof TicketError ? err : undefined;
    const failure = {
      code: error?.code ?? 'INTERNAL',
      message: error?.message ?? (err as Error).message,
      outcome: error && !OUTCOME_UNKNOWN.has(error.code) ? ('FAILED' as const) : ('UNKNOWN' as const),
    };
    await deps.deliveries.recordFailure(d, failure);
    log.warn({ code: failure.code, retryable: error?.retryable ?? true, httpStatus: error?.httpStatus, err: failure.message }, 'ticket push failed');
    return 'failed';
  }
}

async function create(adapter: TicketAdapter, incident: Incident) {
  const request = await adapter.prepareCreate(incident);
  return { ref: await adapter.createTicket(request), priority: request.priority };
}

function record(deps: PushDeps, d: { id: string; incidentId: string; attempt: number }, ref: TicketReference, action: 'TICKET_CREATED' | 'TICKET_ADOPTED', priority: string | undefined) {
  const verb = action === 'TICKET_CREATED' ? 'created' : 'adopted';
  return deps.deliveries.recordTicket(d, ref, {
    action,
    message: `${ref.system} ticket ${ref.externalId} ${verb}`,
    details: { system: ref.system, externalId: ref.externalId, url: ref.url, ...(priority ? { priority } : {}) },
  });
}
