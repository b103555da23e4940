import type { Operator, TargetSystem } from '@rhx/domain';
import { requeueDelivery, type RedriveDeps } from './delivery-redrive.js';

export type ManualPushResult =
  | { kind: 'queued'; deliveryId: string }
  | { kind: 'ticket-exists'; ticket: { system: string; externalId: string; url: string } }
  | { kind: 'unknown-incident' };

/**
 * An analyst's "create ticket": one live ticket per incident and system whatever is clicked. The create
 * of the next ticket generation (1, or the one after a ticket that vanished) is opened, or re-driven when
 * it failed or was skipped; one that is pending or running is simply reported again, and one waiting to
 * retry keeps its timing (its wait may be an unknown outcome settling before the look-up: running it now
 * is what made a second ticket).
 */
export async function requestManualPush(deps: RedriveDeps, incidentId: string, system: TargetSystem, operator: Operator): Promise<ManualPushResult> {
  const delivery = await deps.deliveries.manualDelivery(incidentId, system);
  if (delivery.kind === 'unknown-incident') return delivery;
  if (delivery.kind === 'ticket-exists') return { kind: 'ticket-exists', ticket: { system, ...delivery.ticket } };
  await deps.deliveries.recordTicketRequest(incidentId, system, delivery.id, operator);
  if (delivery.status !== 'RETRY_WAIT') await requeueDelivery(deps.queues, { id: delivery.id, incidentId, system, status: delivery.status });
  return { kind: 'queued', deliveryId: delivery.id };
}
