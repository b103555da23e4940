import type { PrismaClient } from '@rhx/db';
import type { TargetSystem } from '@rhx/domain';
import { requeueDelivery, type RedriveDeps } from './delivery-redrive.js';

export type ManualPushResult =
  | { kind: 'queued'; deliveryId: string }
  | { kind: 'ticket-exists'; ticket: { system: string; externalId: string; url: string } }
  | { kind: 'unknown-incident' };

/**
 * An analyst's "create ticket": one delivery per incident and system whatever is clicked. A delivery
 * that failed or was skipped is re-driven; one that is pending or running is simply reported again.
 */
export async function requestManualPush(deps: RedriveDeps & { prisma: PrismaClient }, incidentId: string, system: TargetSystem): Promise<ManualPushResult> {
  const incident = await deps.prisma.incident.findUnique({ where: { id: incidentId }, select: { id: true, tickets: { where: { system } } } });
  if (!incident) return { kind: 'unknown-incident' };
  const ticket = incident.tickets[0];
  if (ticket) return { kind: 'ticket-exists', ticket: { system, externalId: ticket.externalId, url: ticket.url } };
  const delivery = await deps.deliveries.manualDelivery(incidentId, system);
  // Always the push job, whatever the status: a click on a delivery waiting to retry asks for an attempt now.
  await requeueDelivery(deps.queues, { id: delivery.id, incidentId, system });
  return { kind: 'queued', deliveryId: delivery.id };
}
