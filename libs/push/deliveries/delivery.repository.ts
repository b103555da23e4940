import type pg from 'pg';
import { GroupCommit, poolOf, type PrismaClient } from '@rhx/db';
import type { TicketReference } from '@rhx/adapters';
import type { RiskLevel, TargetSystem } from '@rhx/domain';
import type { RetryWait } from '@rhx/queue';
import type { PushFailure } from '../push-failure.js';
import { DeliveryLeases, type Lease } from './delivery-lease.js';
import type { DeliveryCursor } from './delivery-cursor.js';
import * as push from './push.statements.js';
import * as redrive from './redrive.statements.js';
import * as stats from './stats.statements.js';
import * as view from './view.statements.js';

/**
 * Deliveries and their attempts: every statement that reads or writes `deliveries` or
 * `delivery_attempts` is one of this class's methods (the incident's ingest statement, which creates an
 * incident's deliveries together with the incident, is the one exception: see IncidentRepository). The
 * SQL lives in small statement modules beside it, by use: `push` (one attempt), `delivery-lease`,
 * `redrive`, `view` (the API), `stats` (metrics). The statements every push runs are single SQL
 * statements on the driver adapter's pool, the writes shared by the pushes in flight together.
 */
export class DeliveryRepository {
  private readonly pool: pg.Pool;
  private readonly leaseHolder: DeliveryLeases | undefined;

  /** @param leaseMs how long a push's lease lasts (longer than any one remote call); only pushes need it. */
  constructor(prisma: PrismaClient, leaseMs?: number) {
    this.pool = poolOf(prisma);
    this.leaseHolder = leaseMs === undefined ? undefined : new DeliveryLeases(this.pool, leaseMs);
  }

  /** The leases a push takes before it may call the remote. */
  get leases(): DeliveryLeases {
    if (!this.leaseHolder) throw new Error('this delivery repository was built without a lease duration; pushes need one');
    return this.leaseHolder;
  }

  // ---- one push

  load(deliveryId: string): Promise<push.DeliveryForPush | undefined> {
    return push.loadForPush(this.pool, deliveryId);
  }

  /** The stored incident of a delivery (read after its size was reserved). */
  loadPayload(incidentId: string): Promise<unknown> {
    return push.loadPayload(this.pool, incidentId);
  }

  /**
   * Reference, delivery success (lease released) and history row in one statement, so one transaction.
   * @returns the reference kept: the first one recorded for the incident and system.
   */
  recordTicket(d: { id: string; incidentId: string; attempt: number }, ref: TicketReference, history: push.TicketHistory, level: RiskLevel): Promise<{ externalId: string }> {
    return this.tickets.submit({ d, ref, history, level });
  }

  /** The ticket and the risk change an update delivery carries. */
  loadUpdate(d: { incidentId: string; system: TargetSystem; riskChangeId: string }): Promise<push.UpdateContext> {
    return push.loadUpdate(this.pool, d);
  }

  /** An update's success with its history row (and ServiceNow's stamps) in one statement. */
  recordUpdate(d: { id: string; incidentId: string; system: TargetSystem; attempt: number }, level: RiskLevel, history: { message: string; details: Record<string, unknown> }): Promise<void> {
    return push.recordUpdate(this.pool, d, level, history);
  }

  private readonly tickets = new GroupCommit((items: push.TicketRecord[]) => push.recordTickets(this.pool, items));

  /**
   * Records a failure on the delivery and its attempt (code, HTTP status, the remote's message, the wait
   * chosen and why) with a history row, and releases the lease: RETRY_WAIT with `next_attempt_at` when
   * `next` says another attempt is due, else FAILED. Under a lease only its holder may write; a failure
   * before any lease (settings that cannot be used, a remote look-up while preparing) counts as an
   * attempt of its own and is written only while no other run holds the delivery.
   * @returns false when nothing was written because another run owns the delivery.
   */
  recordFailure(d: push.FailedDelivery, failure: PushFailure, next: RetryWait | undefined): Promise<boolean> {
    return push.recordFailure(this.pool, d, failure, next);
  }

  /**
   * Puts a delivery whose request was never sent (held back by the system's throttle) in RETRY_WAIT for
   * `waitMs` without spending an attempt: under a lease, its STARTED attempt is taken back; without
   * one, only while no other run holds the delivery.
   * @returns false when another run owns the delivery.
   */
  deferUnsent(d: push.FailedDelivery, lease: Lease | undefined, waitMs: number): Promise<boolean> {
    return push.deferUnsent(this.pool, d, lease, waitMs);
  }

  /** Marks a delivery SKIPPED (target not configured or disabled) with a history row, unless another run holds it. */
  recordSkip(d: { id: string; incidentId: string; system: TargetSystem }, reason: string, message: string): Promise<boolean> {
    return push.recordSkip(this.pool, d, reason, message);
  }

  // ---- running again

  /**
   * `POST /v1/deliveries/:id/retry`'s statement: a FAILED or SKIPPED delivery without a ticket becomes
   * PENDING (a new round of attempts) with a `DELIVERY_REDRIVEN` history row, under the row's lock.
   * @returns the delivery as it was and whether it was re-driven; undefined when there is none.
   */
  redrive(deliveryId: string): Promise<{ delivery: redrive.RedriveTarget; redriven: boolean } | undefined> {
    return redrive.redrive(this.pool, deliveryId);
  }

  /** An analyst's push: the incident's delivery to `system`, created, or re-driven when FAILED or SKIPPED. */
  manualDelivery(incidentId: string, system: TargetSystem): Promise<{ id: string; status: view.DeliveryStatus }> {
    return redrive.manualDelivery(this.pool, incidentId, system);
  }

  /** Unfinished deliveries no run owns (see the statement), oldest first, for the reconciler. */
  unowned(graceMs: number, limit: number): Promise<redrive.UnownedDelivery[]> {
    return redrive.unowned(this.pool, graceMs, limit);
  }

  // ---- the API and metrics

  list(filter: view.DeliveryFilter, page: { limit: number; after?: DeliveryCursor }): Promise<view.DeliveryPage> {
    return view.listDeliveries(this.pool, filter, page);
  }

  find(id: string): Promise<view.DeliveryDetail | null> {
    return view.findDelivery(this.pool, id);
  }

  /** Deliveries per system and status. */
  counts(): ReturnType<typeof stats.deliveryCounts> {
    return stats.deliveryCounts(this.pool);
  }

  /** Attempts recorded per system and outcome. */
  attemptCounts(): ReturnType<typeof stats.attemptCounts> {
    return stats.attemptCounts(this.pool);
  }

  /** Deliveries waiting to retry per system, and how many of them are due. */
  retryBacklog(): ReturnType<typeof stats.retryBacklog> {
    return stats.retryBacklog(this.pool);
  }
}
