import type { PrismaClient } from '@rhx/db';
import type { TargetSystem } from '@rhx/domain';
import { jobIds, type Queues } from '@rhx/queue';

export type ManualPushResult =
  | { kind: 'queued'; deliveryId: string }
  | { kind: 'ticket-exists'; ticket: { system: string; externalId: string; url: string } }
  | { kind: 'unknown-incident' };

/**
 * An analyst's "create ticket": one delivery per incident and system whatever is clicked. A delivery
 * that failed or was skipped is re-driven; one that is pending or running is simply reported again.
 */
export async function requestManualPush(prisma: PrismaClient, queues: Queues, incidentId: string, system: TargetSystem): Promise<ManualPushResult> {
  const incident = await prisma.incident.findUnique({ where: { id: incidentId }, select: { id: true, tickets: { where: { system } } } });
  if (!incident) return { kind: 'unknown-incident' };
  const ticket = incident.tickets[0];
  if (ticket) return { kind: 'ticket-exists', ticket: { system, externalId: ticket.externalId, url: ticket.url } };
  const rows = await prisma.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO deliveries (id, incident_id, system, trigger, updated_at) VALUES (gen_random_uuid(), $1, $2, 'manual', now())
     ON CONFLICT (incident_id, system) DO UPDATE SET
       status = CASE WHEN deliveries.status IN ('FAILED', 'SKIPPED') THEN 'PENDING' ELSE deliveries.status END,
       round_start = CASE WHEN deliveries.status IN ('FAILED', 'SKIPPED') THEN deliveries.attempts ELSE deliveries.round_start END,
       updated_at = now()
     RETURNING id::text AS id`,
    incidentId,
    system,
  );
  const deliveryId = rows[0]!.id;
  await queues.addAgain('ticket-push', { deliveryId, incidentId, system }, jobIds.ticketPush(deliveryId));
  return { kind: 'queued', deliveryId };
}
