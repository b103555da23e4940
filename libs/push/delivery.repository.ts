import type pg from 'pg';
import { GroupCommit, poolOf, type PrismaClient } from '@rhx/db';
import type { TicketReference } from '@rhx/adapters';
import type { TargetSystem } from '@rhx/domain';

// Outcomes of an attempt; UNKNOWN means the request may have reached the remote (timeout, reset, 5xx),
// so the next attempt must look for the ticket before creating one.
export type AttemptOutcome = 'STARTED' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';

type TicketHistory = { action: 'TICKET_CREATED' | 'TICKET_ADOPTED'; message: string; details: Record<string, unknown> };

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
 * pool, the two writes shared by the pushes in flight together.
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
   * Concurrent pushes share one statement (group commit): a commit per ticket was most of
   * PostgreSQL's CPU per ticket.
   * @returns false when another run already started this attempt.
   */
  startAttempt(deliveryId: string, number: number): Promise<boolean> {
    return this.attempts.submit({ deliveryId, number });
  }

  /** Reference, delivery success and history row in one statement, so one transaction (exactly-once step 3). */
  recordTicket(d: { id: string; incidentId: string }, ref: TicketReference, history: TicketHistory): Promise<void> {
    return this.tickets.submit({ d, ref, history });
  }

  private readonly attempts = new GroupCommit(async (items: { deliveryId: string; number: number }[]) => {
    const { rows } = await this.pool.query<{ id: string; number: number }>(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS x(delivery_id uuid, number int)
       ), attempt AS (
         INSERT INTO delivery_attempts (delivery_id, number, outcome) SELECT delivery_id, number, 'STARTED' FROM input
         ON CONFLICT (delivery_id, number) DO NOTHING RETURNING delivery_id, number
       )
       UPDATE deliveries d SET status = 'IN_PROGRESS', attempts = a.number, updated_at = now()
       FROM attempt a WHERE d.id = a.delivery_id RETURNING d.id::text AS id, a.number`,
      [JSON.stringify(items.map((i) => ({ delivery_id: i.deliveryId, number: i.number })))],
    );
    const started = new Set(rows.map((r) => `${r.id}/${r.number}`));
    // The same attempt twice in one batch: the first caller owns it.
    return items.map((i) => started.delete(`${i.deliveryId}/${i.number}`));
  });

  private readonly tickets = new GroupCommit(async (items: { d: { id: string; incidentId: string }; ref: TicketReference; history: TicketHistory }[]) => {
    const input = items.map(({ d, ref, history }) => ({
      delivery_id: d.id, incident_id: d.incidentId, system: ref.system, external_id: ref.externalId, remote_id: ref.remoteId,
      url: ref.url, action: history.action, message: history.message, details: history.details,
    }));
    await this.pool.query(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS x(delivery_id uuid, incident_id text, system text, external_id text,
           remote_id text, url text, action text, message text, details jsonb)
       ), ref AS (
         INSERT INTO ticket_refs (incident_id, system, external_id, remote_id, url)
         SELECT incident_id, system, external_id, remote_id, url FROM input ON CONFLICT (incident_id, system) DO NOTHING
       ), delivery AS (
         UPDATE deliveries d SET status = 'SUCCEEDED', last_error = NULL, last_error_code = NULL, next_attempt_at = NULL, updated_at = now()
         FROM input x WHERE d.id = x.delivery_id
       ), attempt AS (
         UPDATE delivery_attempts a SET outcome = 'SUCCEEDED', finished_at = now()
         FROM input x WHERE a.delivery_id = x.delivery_id AND a.outcome IN ('STARTED', 'UNKNOWN')
       )
       INSERT INTO incident_history (incident_id, action, source, message, new_value)
       SELECT incident_id, action, 'ticket-push', message, details FROM input`,
      [JSON.stringify(input)],
    );
    return items.map(() => undefined);
  });

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
