import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { GroupCommit } from '@rhx/db';

/** The outcome of asking for a delivery's lease. */
export type LeaseResult =
  | {
      kind: 'acquired';
      lease: Lease;
      /** An earlier attempt may have made the ticket (it ended without an answer, or its run vanished). */
      outcomeUnknown: boolean;
    }
  /** Another run holds the lease for `remainingMs` more (by the database's clock): wait, never call the remote meanwhile. */
  | { kind: 'busy'; remainingMs: number }
  /** Nothing to do: succeeded, skipped, failed (until re-driven), already has a ticket, or gone. */
  | { kind: 'finished' };

/** Ownership of a delivery by one run: its attempt number and the token every later write must show. */
export interface Lease {
  deliveryId: string;
  attempt: number;
  token: string;
  /** Its number within the current round (attempts since the last re-drive): what RETRY_MAX_ATTEMPTS counts. */
  roundAttempt: number;
  /** When the lease was last granted or renewed, on this process's monotonic clock (`performance.now()`). */
  grantedAt: number;
}

// Earlier attempts still STARTED when a new run takes the lease belonged to a run whose lease expired
// (it died, froze or lost its connection): whether they made the ticket is unknown.
const ACQUIRE_SQL = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json) AS x(delivery_id uuid, token uuid)
), taken AS (
  UPDATE deliveries d SET status = 'IN_PROGRESS', attempts = d.attempts + 1, lease_token = x.token,
    lease_until = clock_timestamp() + make_interval(secs => $2::double precision), updated_at = now()
  FROM input x
  WHERE d.id = x.delivery_id AND d.status IN ('PENDING', 'IN_PROGRESS', 'RETRY_WAIT') AND (d.lease_until IS NULL OR d.lease_until <= now())
    AND (d.risk_change_id <> 0 OR NOT EXISTS (SELECT 1 FROM ticket_refs t WHERE t.incident_id = d.incident_id AND t.system = d.system))
  RETURNING d.id, d.attempts, d.round_start, d.risk_change_id, x.token, d.lease_until
), expired AS (
  UPDATE delivery_attempts a SET outcome = 'UNKNOWN', finished_at = now(),
    error = 'its run stopped before the attempt ended (lease expired); the ticket may exist'
  FROM taken t WHERE a.delivery_id = t.id AND a.outcome = 'STARTED'
  RETURNING a.delivery_id
), attempt AS (
  INSERT INTO delivery_attempts (delivery_id, number, outcome) SELECT id, attempts, 'STARTED' FROM taken
)
SELECT t.id::text AS id, t.attempts AS attempt, t.attempts - t.round_start AS "roundAttempt", t.token::text AS token,
  extract(epoch FROM t.lease_until - clock_timestamp()) * 1000 AS "remainingMs",
  (EXISTS (SELECT 1 FROM expired e WHERE e.delivery_id = t.id)
   -- For an update only this round's attempts count: a re-drive is the operator's word to send it again.
   OR EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = t.id AND a.outcome = 'UNKNOWN'
     AND (t.risk_change_id = 0 OR a.number > t.round_start))) AS "outcomeUnknown"
FROM taken t`;

/**
 * Leases on deliveries: the mutual exclusion behind "exactly one ticket". A run may call the remote
 * only while it holds the delivery's lease, and a lease lasts longer than one HTTP call can (the HTTP
 * timeout plus a margin, on the database's clock), so a second run of the same delivery (a stalled
 * BullMQ job run again, a re-drive, the outbox sweeper) waits instead of calling, and only an attempt
 * whose lease expired counts as "outcome unknown" and leads to a look-up before any new create.
 */
export class DeliveryLeases {
  private readonly leaseSeconds: number;

  constructor(
    private readonly pool: pg.Pool,
    /** Longer than any single remote call: `HTTP_TIMEOUT_MS` + margin. */
    readonly leaseMs: number,
  ) {
    this.leaseSeconds = leaseMs / 1000;
  }

  /** Takes the lease of a PENDING or RETRY_WAIT delivery, or of an IN_PROGRESS one whose lease expired, and starts the next attempt. */
  async acquire(deliveryId: string): Promise<LeaseResult> {
    // A lease that ends between the statement and the look-up below is simply taken on the next turn.
    for (let turn = 0; ; turn++) {
      const row = await this.batch.submit({ deliveryId, token: randomUUID() });
      if (row) return { kind: 'acquired', outcomeUnknown: row.outcomeUnknown, lease: this.granted(deliveryId, row, row.remainingMs) };
      const state = await this.stateOf(deliveryId);
      if (state.kind !== 'expired' || turn >= 2) return state.kind === 'expired' ? { kind: 'busy', remainingMs: 0 } : state;
    }
  }

  private async stateOf(deliveryId: string): Promise<LeaseResult | { kind: 'expired' }> {
    const { rows } = await this.pool.query<{ status: string; hasTicket: boolean; remainingMs: number | null }>(
      `SELECT d.status, extract(epoch FROM d.lease_until - clock_timestamp()) * 1000 AS "remainingMs",
         -- Only a create is done once its ticket exists; an update is made for an existing ticket.
         (d.risk_change_id = 0 AND EXISTS (SELECT 1 FROM ticket_refs t WHERE t.incident_id = d.incident_id AND t.system = d.system)) AS "hasTicket"
       FROM deliveries d WHERE d.id = $1::uuid`,
      [deliveryId],
    );
    const row = rows[0];
    if (!row || row.hasTicket || !['PENDING', 'IN_PROGRESS', 'RETRY_WAIT'].includes(row.status)) return { kind: 'finished' };
    const remainingMs = Number(row.remainingMs ?? 0);
    return remainingMs > 0 ? { kind: 'busy', remainingMs } : { kind: 'expired' };
  }

  private granted(deliveryId: string, row: { attempt: number; roundAttempt: number; token: string }, remainingMs: number): Lease {
    // Dated from the database's own remaining time, so time spent waiting for the answer counts as used.
    const { attempt, roundAttempt, token } = row;
    return { deliveryId, attempt, roundAttempt, token, grantedAt: performance.now() - (this.leaseMs - Number(remainingMs)) };
  }

  /**
   * Extends the lease before another remote call, only if this run still holds it and it has not
   * expired (a run that froze past its lease must not call the remote: another run may own it now).
   * @returns false when the lease is lost.
   */
  async renew(lease: Lease): Promise<boolean> {
    const before = performance.now();
    const { rowCount } = await this.pool.query(
      `UPDATE deliveries SET lease_until = clock_timestamp() + make_interval(secs => $3::double precision)
       WHERE id = $1::uuid AND lease_token = $2::uuid AND lease_until > clock_timestamp()`,
      [lease.deliveryId, lease.token, this.leaseSeconds],
    );
    if (rowCount !== 1) return false;
    lease.grantedAt = before; // the earliest the new lease can have started
    return true;
  }

  /**
   * Makes sure a remote call that starts now ends inside the lease: a call lasts at most the HTTP
   * timeout, so it may start without a renewal only within the margin after the lease was granted.
   */
  async ensureFor(lease: Lease, callMs: number): Promise<boolean> {
    if (performance.now() - lease.grantedAt + callMs < this.leaseMs * 0.9) return true;
    return this.renew(lease);
  }

  // Concurrent pushes take their leases in one statement: a commit per ticket was most of PostgreSQL's CPU.
  private readonly batch = new GroupCommit(async (items: { deliveryId: string; token: string }[]) => {
    const { rows } = await this.pool.query<{ id: string; attempt: number; roundAttempt: number; token: string; remainingMs: number; outcomeUnknown: boolean }>(ACQUIRE_SQL, [
      JSON.stringify(items.map((i) => ({ delivery_id: i.deliveryId, token: i.token }))),
      this.leaseSeconds,
    ]);
    const byToken = new Map(rows.map((r) => [r.token, r]));
    // The same delivery twice in one batch: one UPDATE row wins; the other caller sees it as busy.
    return items.map((i) => byToken.get(i.token));
  });
}
