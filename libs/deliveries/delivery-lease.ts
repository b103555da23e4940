import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { GroupCommit, jsonRows, preparedStatement } from '@rhx/db';
import { UNFINISHED_STATUSES, statusGuardSql, type DeliveryStatus, type RiskLevel } from '@rhx/domain';

/** The outcome of asking for a delivery's lease. */
export type LeaseResult =
  | {
      kind: 'acquired';
      lease: Lease;
      /** An earlier attempt may have done the work (it ended without an answer, or its run vanished). */
      outcomeUnknown: boolean;
      /** The level the latest such attempt carried: an adopted ticket was made at it. */
      unknownLevel: RiskLevel | null;
    }
  /** Another run holds the lease (of this delivery, or of another update of the same ticket) for `remainingMs` more: wait, never call meanwhile. */
  | { kind: 'busy'; remainingMs: number }
  /**
   * Not due yet: a RETRY_WAIT delivery whose next attempt is `remainingMs` away, or a create whose earlier
   * attempt's outcome is unknown and must settle first (the remote's search lags behind its creates).
   */
  | { kind: 'waiting'; remainingMs: number }
  /** An update a newer update of the same ticket replaces. */
  | { kind: 'superseded' }
  /** Nothing to do: succeeded, skipped, failed (until re-driven), its generation has a ticket, or gone. */
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

// A ticket of the delivery's generation exists: a create is done; an update has somewhere to go.
const GENERATION_TICKET = `SELECT 1 FROM ticket_refs t WHERE t.incident_id = d.incident_id AND t.system = d.system AND t.generation = d.generation`;
const NEWER_UPDATE = `SELECT 1 FROM deliveries n WHERE n.incident_id = d.incident_id AND n.system = d.system AND n.generation = d.generation
  AND n.kind = 'update' AND n.risk_change_id > d.risk_change_id`;
// Updates and resolves of one ticket run one at a time: another of them in flight under a live lease. Found
// through the ticket's deliveries (`IS TRUE`: the status is a filter, never the index to read every run in flight by).
const SIBLING_IN_FLIGHT = `SELECT 1 FROM deliveries o WHERE o.incident_id = d.incident_id AND o.system = d.system AND o.generation = d.generation
  AND o.kind <> 'create' AND o.id <> d.id AND (o.status = 'IN_PROGRESS') IS TRUE AND o.lease_until > now()`;
// A create's earlier attempt whose outcome is unknown: the remote's search may not show its ticket until it
// has settled (`secs` seconds after the attempt ended, or after the lease of a run that vanished ran out).
const settling = (secs: string) => `(EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = d.id AND a.outcome = 'UNKNOWN'
    AND a.finished_at > now() - make_interval(secs => ${secs}::double precision))
  OR (d.status = 'IN_PROGRESS' AND d.lease_until > now() - make_interval(secs => ${secs}::double precision)
    AND EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = d.id AND a.outcome = 'STARTED')))`;

/** The lease event's guard (delivery-states.ts), beyond the status: what a run may take now. */
const LEASABLE = `${statusGuardSql('d.status', 'lease')}
  AND (d.lease_until IS NULL OR d.lease_until <= now())
  AND (d.status <> 'RETRY_WAIT' OR d.next_attempt_at IS NULL OR d.next_attempt_at <= now())
  AND CASE d.kind
    WHEN 'create' THEN NOT EXISTS (${GENERATION_TICKET}) AND NOT ${settling('$3')}
    WHEN 'update' THEN EXISTS (${GENERATION_TICKET} AND t.retired_at IS NULL) AND NOT EXISTS (${NEWER_UPDATE}) AND NOT EXISTS (${SIBLING_IN_FLIGHT})
    ELSE EXISTS (${GENERATION_TICKET} AND t.retired_at IS NULL) AND NOT EXISTS (${SIBLING_IN_FLIGHT})
  END`;

// Earlier attempts still STARTED when a new run takes the lease belonged to a run whose lease expired
// (it died, froze or lost its connection): whether they did the work is unknown.
const ACQUIRE_SQL = `
WITH input AS (
  SELECT x.* FROM ${jsonRows('$1')} AS x(delivery_id uuid, token uuid, level text)
), taken AS (
  UPDATE deliveries d SET status = 'IN_PROGRESS', attempts = d.attempts + 1, lease_token = x.token, next_attempt_at = NULL,
    lease_until = clock_timestamp() + make_interval(secs => $2::double precision), updated_at = now()
  FROM input x
  WHERE d.id = x.delivery_id AND ${LEASABLE}
  RETURNING d.id, d.attempts, d.round_start, x.token, x.level, d.lease_until
), expired AS (
  UPDATE delivery_attempts a SET outcome = 'UNKNOWN', finished_at = now(),
    error = 'its run stopped before the attempt ended (lease expired); the work may have been done'
  FROM taken t WHERE a.delivery_id = t.id AND a.outcome = 'STARTED'
  RETURNING a.delivery_id, a.number, a.level
), attempt AS (
  INSERT INTO delivery_attempts (delivery_id, number, outcome, level) SELECT id, attempts, 'STARTED', level FROM taken
)
SELECT t.id::text AS id, t.attempts AS attempt, t.attempts - t.round_start AS "roundAttempt", t.token::text AS token,
  extract(epoch FROM t.lease_until - clock_timestamp()) * 1000 AS "remainingMs",
  u.level AS "unknownLevel", (u.number IS NOT NULL) AS "outcomeUnknown"
FROM taken t LEFT JOIN LATERAL (
  SELECT number, level FROM (
    SELECT e.number, e.level FROM expired e WHERE e.delivery_id = t.id
    UNION ALL SELECT a.number, a.level FROM delivery_attempts a WHERE a.delivery_id = t.id AND a.outcome = 'UNKNOWN'
  ) k ORDER BY number DESC LIMIT 1
) u ON true`;

const ACQUIRE = preparedStatement('rhx_delivery_lease', ACQUIRE_SQL);

// Why a delivery was not taken (the guard's parts, read on their own).
const STATE_SQL = `
SELECT d.status, d.kind,
  extract(epoch FROM d.lease_until - clock_timestamp()) * 1000 AS "leaseMs",
  CASE WHEN d.status = 'RETRY_WAIT' THEN extract(epoch FROM d.next_attempt_at - clock_timestamp()) * 1000 END AS "dueMs",
  EXISTS (${GENERATION_TICKET}) AS "hasTicket",
  EXISTS (${GENERATION_TICKET} AND t.retired_at IS NULL) AS "liveTicket",
  (d.kind = 'update' AND EXISTS (${NEWER_UPDATE})) AS superseded,
  (SELECT max(extract(epoch FROM o.lease_until - clock_timestamp()) * 1000) FROM deliveries o WHERE o.incident_id = d.incident_id
    AND o.system = d.system AND o.generation = d.generation AND o.kind = 'update' AND o.id <> d.id AND o.status = 'IN_PROGRESS'
    AND o.lease_until > now() AND d.kind <> 'create') AS "siblingMs",
  CASE WHEN d.kind = 'create' AND ${settling('$2')} THEN GREATEST(
    (SELECT max(extract(epoch FROM a.finished_at - clock_timestamp()) * 1000) FROM delivery_attempts a WHERE a.delivery_id = d.id AND a.outcome = 'UNKNOWN'),
    CASE WHEN d.status = 'IN_PROGRESS' THEN extract(epoch FROM d.lease_until - clock_timestamp()) * 1000 END
  ) + $2::double precision * 1000 END AS "settleMs"
FROM deliveries d WHERE d.id = $1::uuid`;

interface StateRow {
  status: string;
  kind: string;
  leaseMs: number | null;
  dueMs: number | null;
  hasTicket: boolean;
  liveTicket: boolean;
  superseded: boolean;
  siblingMs: number | null;
  settleMs: number | null;
}

/**
 * Leases on deliveries: the mutual exclusion behind "exactly one ticket" and "one update of a ticket at a
 * time". A run may call the remote only while it holds the delivery's lease, and a lease lasts longer than
 * one remote call can (the call's limit plus a margin, on the database's clock), so a second run of the same
 * delivery (a stalled BullMQ job run again, a re-drive, the reconciler) waits instead of calling, and only an
 * attempt whose lease expired counts as "outcome unknown". The `lease` transition's guard is here, whole.
 */
export class DeliveryLeases {
  private readonly leaseSeconds: number;

  constructor(
    private readonly pool: pg.Pool,
    /** Longer than any single remote call: its throttle wait + `HTTP_TIMEOUT_MS` + margin. */
    readonly leaseMs: number,
    /** How long after an attempt whose outcome is unknown a create's look-up may run (`UNKNOWN_OUTCOME_SETTLE_SECONDS`). */
    readonly settleMs = 60_000,
  ) {
    this.leaseSeconds = leaseMs / 1000;
  }

  /** Takes the lease and starts the next attempt, carrying `level`; or says why not. */
  async acquire(deliveryId: string, level: RiskLevel | null = null): Promise<LeaseResult> {
    // A lease that ends between the statement and the look-up below is simply taken on the next turn.
    for (let turn = 0; ; turn++) {
      const row = await this.batch.submit({ deliveryId, token: randomUUID(), level });
      if (row) {
        const lease = this.granted(deliveryId, row, row.remainingMs);
        return { kind: 'acquired', outcomeUnknown: row.outcomeUnknown, unknownLevel: (row.unknownLevel as RiskLevel | null) ?? null, lease };
      }
      const state = await this.stateOf(deliveryId);
      if (state.kind !== 'free' || turn >= 2) return state.kind === 'free' ? { kind: 'busy', remainingMs: 0 } : state;
    }
  }

  private async stateOf(deliveryId: string): Promise<LeaseResult | { kind: 'free' }> {
    const { rows } = await this.pool.query<StateRow>(STATE_SQL, [deliveryId, this.settleMs / 1000]);
    const row = rows[0];
    if (!row || !UNFINISHED_STATUSES.includes(row.status as DeliveryStatus)) return { kind: 'finished' };
    if (row.kind === 'create' && row.hasTicket) return { kind: 'finished' };
    if (row.kind !== 'create' && !row.liveTicket) return { kind: 'finished' };
    if (row.superseded) return { kind: 'superseded' };
    const wait = (ms: number | null) => Math.max(0, Number(ms ?? 0));
    if (wait(row.leaseMs) > 0) return { kind: 'busy', remainingMs: wait(row.leaseMs) };
    if (wait(row.siblingMs) > 0) return { kind: 'busy', remainingMs: wait(row.siblingMs) };
    if (wait(row.dueMs) > 0) return { kind: 'waiting', remainingMs: wait(row.dueMs) };
    if (wait(row.settleMs) > 0) return { kind: 'waiting', remainingMs: wait(row.settleMs) };
    return { kind: 'free' };
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
   * Makes sure a remote call that starts now ends inside the lease: a call lasts at most `callMs` (its
   * throttle wait plus the HTTP timeout), so it may start without a renewal only while that much is left.
   */
  async ensureFor(lease: Lease, callMs: number): Promise<boolean> {
    if (performance.now() - lease.grantedAt + callMs < this.leaseMs * 0.9) return true;
    return this.renew(lease);
  }

  // Concurrent pushes take their leases in one statement: a commit per ticket was most of PostgreSQL's CPU.
  private readonly batch = new GroupCommit(async (items: { deliveryId: string; token: string; level: RiskLevel | null }[]) => {
    const { rows } = await this.pool.query<{ id: string; attempt: number; roundAttempt: number; token: string; remainingMs: number; outcomeUnknown: boolean; unknownLevel: string | null }>(
      ACQUIRE([JSON.stringify(items.map((i) => ({ delivery_id: i.deliveryId, token: i.token, level: i.level }))), this.leaseSeconds, this.settleMs / 1000]),
    );
    const byToken = new Map(rows.map((r) => [r.token, r]));
    // The same delivery twice in one batch: one UPDATE row wins; the other caller sees it as busy.
    return items.map((i) => byToken.get(i.token));
  });
}
