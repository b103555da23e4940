import type { Operator, TargetSystem } from '@rhx/domain';
import { jobIds, type Queues } from '@rhx/queue';
import type { DeliveryRepository } from '@rhx/deliveries';
import type { RedriveTarget } from '@rhx/deliveries';
import { mayStart, type DeliveryStatus } from '@rhx/domain';

/** What a re-drive needs: the deliveries' statements and the queues. */
export interface RedriveDeps {
  deliveries: DeliveryRepository;
  queues: Queues;
}

/** A delivery to put back on its queue: RETRY_WAIT ones go to ticket-retry, every other to ticket-push. */
export interface QueuedDelivery {
  id: string;
  incidentId: string;
  system: TargetSystem;
  status?: DeliveryStatus | string;
}

/**
 * The one re-drive of a delivery's job (manual push, `POST /v1/deliveries/:id/retry`, the reconciler and
 * the push handler's first retry all call it): the job of the queue its status belongs on, under the id
 * derived from the delivery, replacing a finished job of that id (see `Queues.addAgain`), leaving one
 * that is waiting, delayed or active be.
 * @returns whether a job was added.
 */
export function requeueDelivery(queues: Queues, d: QueuedDelivery, delayMs = 0): Promise<boolean> {
  const payload = { deliveryId: d.id, incidentId: d.incidentId, system: d.system };
  return d.status === 'RETRY_WAIT'
    ? queues.addAgain('ticket-retry', payload, jobIds.ticketRetry(d.id), delayMs)
    : queues.addAgain('ticket-push', payload, jobIds.ticketPush(d.id), delayMs);
}

export type RedriveResult =
  | { kind: 'redriven'; delivery: RedriveTarget; /** Set when Redis refused the job; the sweeper enqueues it later. */ enqueueError?: unknown }
  | { kind: 'refused'; delivery: RedriveTarget }
  | { kind: 'not-found' };

/**
 * `POST /v1/deliveries/:id/retry`: a FAILED or SKIPPED delivery (and only one without a ticket) becomes
 * PENDING with a `DELIVERY_REDRIVEN` history row and an audit row naming the operator, and its ticket-push job is put back on
 * the queue. Every other delivery is refused as it is: it succeeded, or it will run anyway. The database
 * change is the re-drive; the job is only the signal, so a Redis failure leaves a PENDING delivery that
 * the outbox sweeper enqueues after its grace period.
 */
export async function redriveDelivery(deps: RedriveDeps, deliveryId: string, operator: Operator): Promise<RedriveResult> {
  const found = await deps.deliveries.redrive(deliveryId, operator);
  if (!found) return { kind: 'not-found' };
  const { delivery, redriven } = found;
  if (!redriven) return { kind: 'refused', delivery };
  try {
    await requeueDelivery(deps.queues, { ...delivery, status: 'PENDING' });
    return { kind: 'redriven', delivery };
  } catch (enqueueError) {
    return { kind: 'redriven', delivery, enqueueError };
  }
}

/** Why a delivery cannot be re-driven, as the API's 409: an error code, a sentence, and the facts. */
export function redriveRefusal(d: RedriveTarget): { code: 'DELIVERY_SUCCEEDED' | 'DELIVERY_IN_FLIGHT' | 'DELIVERY_SUPERSEDED' | 'TICKET_RETIRED'; message: string; details: Record<string, unknown> } {
  const details = { status: d.status, ...(d.ticket ? { ticket: d.ticket } : {}), ...(d.nextAttemptAt ? { nextAttemptAt: d.nextAttemptAt.toISOString() } : {}) };
  if (d.status === 'SUCCEEDED' || d.ticket) {
    const ref = d.ticket ? `: ${d.system} ticket ${d.ticket.externalId}` : '';
    return { code: 'DELIVERY_SUCCEEDED', message: `delivery ${d.id} already succeeded${ref}`, details };
  }
  // Sending an older update again would set the ticket back below the level a newer one carries.
  if (d.supersededBy && mayStart('redrive', d.status)) {
    return { code: 'DELIVERY_SUPERSEDED', message: `delivery ${d.id} cannot be re-driven: a newer risk change's update of the same ticket replaces it`, details };
  }
  if (d.ticketRetired && mayStart('redrive', d.status)) {
    return { code: 'TICKET_RETIRED', message: `delivery ${d.id} cannot be re-driven: the ${d.system} ticket it updates no longer exists`, details };
  }
  const why: Record<string, string> = {
    IN_PROGRESS: d.leaseLive
      ? `attempt ${d.attempts} is calling ${d.system} now; wait for it to finish`
      : `its last run stopped before finishing; the outbox sweeper runs it again within a minute`,
    PENDING: 'it is pending and will run without a re-drive',
    RETRY_WAIT: `it is waiting to retry${d.nextAttemptAt ? ` at ${d.nextAttemptAt.toISOString()}` : ''} and will run without a re-drive`,
  };
  return { code: 'DELIVERY_IN_FLIGHT', message: `delivery ${d.id} cannot be re-driven: ${why[d.status] ?? `it is ${d.status}`}`, details };
}
