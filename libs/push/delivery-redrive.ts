import { poolOf, type PrismaClient } from '@rhx/db';
import type { TargetSystem } from '@rhx/domain';
import { jobIds, type Queues } from '@rhx/queue';
import type { DeliveryStatus } from './delivery-view.js';

/** What a delivery looked like when a re-drive was asked for. */
export interface RedriveTarget {
  id: string;
  incidentId: string;
  system: TargetSystem;
  status: DeliveryStatus;
  attempts: number;
  /** IN_PROGRESS under a lease that has not ended (by the database's clock): a run is calling the remote. */
  leaseLive: boolean;
  nextAttemptAt: Date | null;
  ticket: { externalId: string; url: string } | null;
}

export type RedriveResult =
  | { kind: 'redriven'; delivery: RedriveTarget; /** Set when Redis refused the job; the sweeper enqueues it later. */ enqueueError?: unknown }
  | { kind: 'refused'; delivery: RedriveTarget }
  | { kind: 'not-found' };

/** Only these are re-driven: nothing else will ever run them again. */
export const REDRIVABLE: readonly DeliveryStatus[] = ['FAILED', 'SKIPPED'];

// One statement: the row is locked, so two re-drives at once make one PENDING delivery and one history
// row (the second sees PENDING and is refused). `attempts` keeps counting: attempt numbers stay unique.
const REDRIVE_SQL = `
WITH before AS (
  SELECT d.id, d.incident_id, d.system, d.status, d.attempts, d.next_attempt_at,
    (d.status = 'IN_PROGRESS' AND COALESCE(d.lease_until > now(), false)) AS lease_live, t.external_id, t.url
  FROM deliveries d LEFT JOIN ticket_refs t ON t.incident_id = d.incident_id AND t.system = d.system
  WHERE d.id = $1::uuid FOR UPDATE OF d
), redriven AS (
  UPDATE deliveries d SET status = 'PENDING', next_attempt_at = NULL, round_start = d.attempts, updated_at = now()
  FROM before b WHERE d.id = b.id AND b.status = ANY($2::text[]) AND b.external_id IS NULL
  RETURNING d.id
), history AS (
  INSERT INTO incident_history (incident_id, action, source, message, old_value, new_value)
  SELECT b.incident_id, 'DELIVERY_REDRIVEN', 'api', b.system || ' delivery re-driven after ' || b.attempts || ' attempt(s)',
    jsonb_build_object('status', b.status),
    jsonb_build_object('status', 'PENDING', 'system', b.system, 'deliveryId', b.id)
  FROM before b JOIN redriven USING (id)
)
SELECT b.id::text AS id, b.incident_id AS "incidentId", b.system, b.status, b.attempts, b.lease_live AS "leaseLive",
  b.next_attempt_at AS "nextAttemptAt", b.external_id, b.url, EXISTS (SELECT 1 FROM redriven) AS redriven
FROM before b`;

type Row = Omit<RedriveTarget, 'ticket'> & { external_id: string | null; url: string | null; redriven: boolean };

/**
 * `POST /v1/deliveries/:id/retry`: a FAILED or SKIPPED delivery (and only one without a ticket) becomes
 * PENDING with a `DELIVERY_REDRIVEN` history row (source `api`), and its ticket-push job is put back on
 * the queue. Every other delivery is refused as it is: it succeeded, or it will run anyway. The database
 * change is the re-drive; the job is only the signal, so a Redis failure leaves a PENDING delivery that
 * the outbox sweeper enqueues after its grace period.
 */
export async function redriveDelivery(prisma: PrismaClient, queues: Queues, deliveryId: string): Promise<RedriveResult> {
  const { rows } = await poolOf(prisma).query<Row>(REDRIVE_SQL, [deliveryId, REDRIVABLE]);
  const row = rows[0];
  if (!row) return { kind: 'not-found' };
  const { external_id, url, redriven, ...rest } = row;
  const delivery: RedriveTarget = { ...rest, ticket: external_id === null || url === null ? null : { externalId: external_id, url } };
  if (!redriven) return { kind: 'refused', delivery };
  try {
    const data = { deliveryId: delivery.id, incidentId: delivery.incidentId, system: delivery.system };
    await queues.addAgain('ticket-push', data, jobIds.ticketPush(delivery.id));
    return { kind: 'redriven', delivery };
  } catch (enqueueError) {
    return { kind: 'redriven', delivery, enqueueError };
  }
}

/** Why a delivery cannot be re-driven, as the API's 409: an error code, a sentence, and the facts. */
export function redriveRefusal(d: RedriveTarget): { code: 'DELIVERY_SUCCEEDED' | 'DELIVERY_IN_FLIGHT'; message: string; details: Record<string, unknown> } {
  const details = { status: d.status, ...(d.ticket ? { ticket: d.ticket } : {}), ...(d.nextAttemptAt ? { nextAttemptAt: d.nextAttemptAt.toISOString() } : {}) };
  if (d.status === 'SUCCEEDED' || d.ticket) {
    const ref = d.ticket ? `: ${d.system} ticket ${d.ticket.externalId}` : '';
    return { code: 'DELIVERY_SUCCEEDED', message: `delivery ${d.id} already succeeded${ref}`, details };
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
