import type pg from 'pg';
import { poolOf, type PrismaClient } from '@rhx/db';
import type { TicketReference } from '@rhx/adapters';
import type { TargetSystem } from '@rhx/domain';

// Outcomes of an attempt; UNKNOWN means the request may have reached the remote (timeout, reset, 5xx),
// so the next attempt must look for the ticket before creating one.
export type AttemptOutcome = 'STARTED' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';

/** What the push worker needs to know about a delivery, in one read. */
export interface DeliveryForPush {
  id: string;
  incidentId: string;
  system: TargetSystem;
  status: string;
  attempts: number;
  payload: unknown;
  hasTicket: boolean;
  /** An earlier attempt may have made the ticket (it never finished, or ended in a timeout-like failure). */
  outcomeUnknown: boolean;
}

/**
 * Deliveries, their attempts and the ticket references they produce. The three statements every
 * push runs (load, start attempt, record ticket) are single SQL statements on the driver adapter's
 * pool: one round trip each instead of Prisma's BEGIN … COMMIT sequences.
 */
export class DeliveryRepository {
  private readonly pool: pg.Pool;

  constructor(private readonly prisma: PrismaClient) {
    this.pool = poolOf(prisma);
  }

  async load(deliveryId: string): Promise<DeliveryForPush | undefined> {
    const { rows } = await this.pool.query<DeliveryForPush>(
      `SELECT d.id::text AS id, d.incident_id AS "incidentId", d.system, d.status, d.attempts, i.payload,
         EXISTS (SELECT 1 FROM ticket_refs t WHERE t.incident_id = d.incident_id AND t.system = d.system) AS "hasTicket",
         EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = d.id AND a.outcome IN ('STARTED', 'UNKNOWN')) AS "outcomeUnknown"
       FROM deliveries d JOIN incidents i ON i.id = d.incident_id WHERE d.id = $1::uuid`,
      [deliveryId],
    );
    return rows[0];
  }

  /**
   * Records the start of attempt `number` before any remote call. The attempt number is unique per
   * delivery, so when BullMQ runs one job twice at once (a lost lock) only one run gets past here.
   * @returns false when another run already started this attempt.
   */
  async startAttempt(deliveryId: string, number: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `WITH attempt AS (
         INSERT INTO delivery_attempts (delivery_id, number, outcome) VALUES ($1::uuid, $2, 'STARTED')
         ON CONFLICT (delivery_id, number) DO NOTHING RETURNING 1
       )
       UPDATE deliveries SET status = 'IN_PROGRESS', attempts = $2, updated_at = now()
       WHERE id = $1::uuid AND EXISTS (SELECT 1 FROM attempt)`,
      [deliveryId, number],
    );
    return rowCount === 1;
  }

  /** Reference, delivery success and history row in one statement, so one transaction (exactly-once step 3). */
  async recordTicket(
    d: { id: string; incidentId: string },
    ref: TicketReference,
    history: { action: 'TICKET_CREATED' | 'TICKET_ADOPTED'; message: string; details: Record<string, unknown> },
  ): Promise<void> {
    await this.pool.query(
      `WITH ref AS (
         INSERT INTO ticket_refs (incident_id, system, external_id, remote_id, url) VALUES ($2, $3, $4, $5, $6)
         ON CONFLICT (incident_id, system) DO NOTHING
       ), delivery AS (
         UPDATE deliveries SET status = 'SUCCEEDED', last_error = NULL, last_error_code = NULL, next_attempt_at = NULL, updated_at = now()
         WHERE id = $1::uuid
       ), attempt AS (
         UPDATE delivery_attempts SET outcome = 'SUCCEEDED', finished_at = now()
         WHERE delivery_id = $1::uuid AND outcome IN ('STARTED', 'UNKNOWN')
       )
       INSERT INTO incident_history (incident_id, action, source, message, new_value) VALUES ($2, $7, 'ticket-push', $8, $9::jsonb)`,
      [d.id, d.incidentId, ref.system, ref.externalId, ref.remoteId, ref.url, history.action, history.message, JSON.stringify(history.details)],
    );
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
