import type { PrismaClient } from '@rhx/db';
import type { TicketReference } from '@rhx/adapters';
import type { TargetSystem } from '@rhx/domain';

// Outcomes of an attempt; UNKNOWN means the request may have reached the remote (timeout, reset, 5xx),
// so the next attempt must look for the ticket before creating one.
export type AttemptOutcome = 'STARTED' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';

/** Deliveries, their attempts and the ticket references they produce. */
export class DeliveryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  load(deliveryId: string) {
    return this.prisma.delivery.findUnique({
      where: { id: deliveryId },
      include: {
        incident: { include: { tickets: true } },
        attemptsLog: { select: { outcome: true }, where: { outcome: { in: ['STARTED', 'UNKNOWN'] } } },
      },
    });
  }

  /**
   * Records the start of attempt `number` before any remote call. The attempt number is unique per
   * delivery, so when BullMQ runs one job twice at once (a lost lock) only one run gets past here.
   * @returns false when another run already started this attempt.
   */
  async startAttempt(deliveryId: string, number: number): Promise<boolean> {
    try {
      await this.prisma.$transaction([
        this.prisma.deliveryAttempt.create({ data: { deliveryId, number, outcome: 'STARTED' } }),
        this.prisma.delivery.update({ where: { id: deliveryId }, data: { status: 'IN_PROGRESS', attempts: number } }),
      ]);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') return false;
      throw err;
    }
  }

  /** Reference, delivery success and history row in one transaction (exactly-once step 3). */
  async recordTicket(
    d: { id: string; incidentId: string; attempt: number },
    ref: TicketReference,
    history: { action: 'TICKET_CREATED' | 'TICKET_ADOPTED'; message: string; details: Record<string, unknown> },
  ): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.ticketRef.createMany({
        data: [{ incidentId: d.incidentId, system: ref.system, externalId: ref.externalId, remoteId: ref.remoteId, url: ref.url }],
        skipDuplicates: true,
      }),
      this.prisma.delivery.update({ where: { id: d.id }, data: { status: 'SUCCEEDED', lastError: null, lastErrorCode: null, nextAttemptAt: null } }),
      this.prisma.deliveryAttempt.updateMany({
        where: { deliveryId: d.id, outcome: { in: ['STARTED', 'UNKNOWN'] } },
        data: { outcome: 'SUCCEEDED', finishedAt: new Date() },
      }),
      this.prisma.incidentHistory.create({
        data: { incidentId: d.incidentId, action: history.action, source: 'ticket-push', message: history.message, newValue: history.details as object },
      }),
    ]);
  }

  async recordFailure(
    d: { id: string; incidentId: string; attempt: number; system: TargetSystem },
    failure: { code: string; message: string; outcome: 'FAILED' | 'UNKNOWN' },
  ): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.deliveryAttempt.updateMany({
        where: { deliveryId: d.id, number: d.attempt },
        data: { outcome: failure.outcome, error: failure.message, finishedAt: new Date() },
      }),
      this.prisma.delivery.update({
        where: { id: d.id },
        data: { status: 'FAILED', lastError: failure.message, lastErrorCode: failure.code },
      }),
      this.prisma.incidentHistory.create({
        data: {
          incidentId: d.incidentId, action: 'TICKET_FAILED', source: 'ticket-push',
          message: `${d.system} ticket not created: ${failure.message}`,
          newValue: { system: d.system, deliveryId: d.id, attempt: d.attempt, code: failure.code },
        },
      }),
    ]);
  }

  async recordSkip(d: { id: string; incidentId: string; system: TargetSystem }, reason: string, message: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.delivery.update({ where: { id: d.id }, data: { status: 'SKIPPED', lastError: message, lastErrorCode: reason } }),
      this.prisma.incidentHistory.create({
        data: { incidentId: d.incidentId, action: 'TICKET_SKIPPED', source: 'ticket-push', message, newValue: { system: d.system, deliveryId: d.id, reason } },
      }),
    ]);
  }
}
