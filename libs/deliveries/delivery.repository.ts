import type pg from 'pg';
import { GroupCommit, poolOf, type PrismaClient } from '@rhx/db';
import type { TicketReference } from '@rhx/adapters';
import type { AnalystStatusChange, Operator, RiskLevel, TargetSystem } from '@rhx/domain';

/** A delivery as a run records its success: which, its attempt, and the ticket generation it acts on. */
type RunDelivery = { id: string; incidentId: string; system: TargetSystem; attempt: number; generation: number };
import { DeliveryLeases } from './delivery-lease.js';
import type { DeliveryCursor } from './delivery-cursor.js';
import * as close from './close.statements.js';
import * as lifecycle from './lifecycle.statements.js';
import * as load from './load.statements.js';
import * as open from './open.statements.js';
import * as redrive from './redrive.statements.js';
import * as settle from './settle.statements.js';
import * as stats from './stats.statements.js';
import * as view from './view.statements.js';

/**
 * Deliveries and their attempts: every statement that reads or writes `deliveries` or
 * `delivery_attempts` is one of this module's (the ingest statement, which opens an incident's deliveries
 * together with the incident, and the risk change's `openUpdate` inside its own transaction, use the same
 * transition table). Every status write is a named event of the table in `@rhx/domain`'s
 * delivery-states.ts, guarded by the statuses it allows: `lease`, `succeed`, `retry`, `fail`, `defer`,
 * `skip`, `supersede`, `redrive`. The SQL lives in small statement modules beside it, by use.
 */
export class DeliveryRepository {
  private readonly pool: pg.Pool;
  private readonly leaseHolder: DeliveryLeases | undefined;

  /**
   * @param leaseMs how long a run's lease lasts (longer than any one remote call); only runs need it.
   * @param settleMs how long after an unknown outcome a create's look-up may run.
   */
  constructor(prisma: PrismaClient, leaseMs?: number, settleMs?: number) {
    this.pool = poolOf(prisma);
    this.leaseHolder = leaseMs === undefined ? undefined : new DeliveryLeases(this.pool, leaseMs, settleMs);
  }

  /** The leases a run takes before it may call the remote (the `lease` event). */
  get leases(): DeliveryLeases {
    if (!this.leaseHolder) throw new Error('this delivery repository was built without a lease duration; runs need one');
    return this.leaseHolder;
  }

  // ---- one run

  load(deliveryId: string): Promise<load.DeliveryForRun | undefined> {
    return this.loads.submit(deliveryId);
  }

  // Concurrent runs read their deliveries in one statement: at 50 pushes at once, one read per ticket was
  // most of the push worker's round trips and a plan each. Each row carries at most INLINE_PAYLOAD_BYTES.
  private readonly loads = new GroupCommit((ids: string[]) => load.loadForRuns(this.pool, ids), {
    maxBatch: 50, weigh: () => load.INLINE_PAYLOAD_BYTES, maxWeight: 2 * 1024 * 1024,
  });

  /** The stored incident of a delivery (read after its size was reserved). */
  loadPayload(incidentId: string): Promise<unknown> {
    return load.loadPayload(this.pool, incidentId);
  }

  /**
   * The `succeed` event of a create: reference, success (lease released) and history row in one statement.
   * @returns the reference kept (the first one recorded for the generation), and whether the incident's
   * level moved while the ticket was being made (the cadence gate then has a late change to decide).
   */
  recordTicket(d: settle.TicketRecord['d'], ref: TicketReference, history: settle.TicketHistory, level: RiskLevel): Promise<{ externalId: string; late: boolean }> {
    return this.tickets.submit({ d, ref, history, level });
  }

  private readonly tickets = new GroupCommit((items: settle.TicketRecord[]) => settle.recordTickets(this.pool, items));

  /**
   * The `succeed` event of an update, with the gate's memory of what reached the ticket; `reopened` when
   * it reopened a resolved ticket (open again, the incident's analyst status NEW with a history row).
   */
  recordUpdate(d: RunDelivery, level: RiskLevel, history: { message: string; details: Record<string, unknown> }, reopened = false): Promise<void> {
    return settle.recordUpdate(this.pool, d, level, history, reopened);
  }

  /** The `succeed` event of a resolve: the ticket no longer open, with a `TICKET_RESOLVED` row. */
  recordResolve(d: RunDelivery, history: { message: string; details: Record<string, unknown> }): Promise<void> {
    return lifecycle.recordResolve(this.pool, d, history);
  }

  /**
   * The `skip` event of an update whose ticket is closed for good (read-only); with `followUp` the ticket
   * is retired and the next generation's create opened. @returns the follow-up's delivery id to queue.
   */
  recordClosedTicket(d: settle.SettledDelivery & { generation: number }, followUp: boolean, message: string): Promise<{ written: boolean; followUpId: string | null }> {
    return lifecycle.recordClosedTicket(this.pool, d, followUp, message);
  }

  /**
   * The `retry` (when `next` says another attempt is due) or `fail` event: the failure on the delivery
   * and its attempt (code, HTTP status, the remote's message, the wait chosen and why) with a history row,
   * lease released. Under a lease only its holder may write; a failure before any lease counts as an
   * attempt of its own and is written only while no other run holds the delivery.
   * @returns false when nothing was written because another run owns the delivery.
   */
  recordFailure(d: settle.SettledDelivery, failure: settle.RecordedFailure, next: { waitMs: number; reason: string } | undefined): Promise<boolean> {
    return settle.recordFailure(this.pool, d, failure, next);
  }

  /** The `defer` event: RETRY_WAIT for `waitMs` without spending an attempt. @returns false when another run owns the delivery. */
  defer(d: settle.SettledDelivery, waitMs: number): Promise<boolean> {
    return settle.defer(this.pool, d, waitMs);
  }

  /** The `skip` event (target not configured or disabled), unless another run holds the delivery. */
  recordSkip(d: settle.SettledDelivery, reason: string, message: string): Promise<boolean> {
    return settle.recordSkip(this.pool, 'skip', d, reason, message);
  }

  /** The `supersede` event: an update a newer update of the same ticket replaces. */
  recordSuperseded(d: settle.SettledDelivery): Promise<boolean> {
    return settle.recordSkip(this.pool, 'supersede', d, 'SUPERSEDED', `${d.system} update superseded: a newer risk change's update carries the later level`);
  }

  // ---- opening and running again

  /**
   * An analyst's status with its history row; a closing status opens resolves of the incident's open
   * tickets in `resolving` (the systems whose lifecycle resolves), in one statement.
   */
  recordAnalystStatus(incidentId: string, change: AnalystStatusChange, source: string, resolving: readonly TargetSystem[], operator?: Operator): ReturnType<typeof close.recordAnalystStatus> {
    return close.recordAnalystStatus(this.pool, incidentId, change, source, resolving, operator);
  }

  /** An analyst's push: the create of the next ticket generation, opened or re-driven (see the statement). */
  manualDelivery(incidentId: string, system: TargetSystem): Promise<open.ManualDelivery> {
    return open.manualDelivery(this.pool, incidentId, system);
  }

  /**
   * `POST /v1/deliveries/:id/retry`'s `redrive` event: a FAILED or SKIPPED delivery that may still run
   * becomes PENDING (a new round of attempts) with a `DELIVERY_REDRIVEN` history row, under the row's lock.
   * @returns the delivery as it was and whether it was re-driven; undefined when there is none.
   */
  /** An operator asked for a ticket (see {@link redrive.recordTicketRequest}). */
  recordTicketRequest(incidentId: string, system: TargetSystem, deliveryId: string, operator: Operator): Promise<void> {
    return redrive.recordTicketRequest(this.pool, incidentId, system, deliveryId, operator);
  }

  redrive(deliveryId: string, operator: Operator): Promise<{ delivery: redrive.RedriveTarget; redriven: boolean } | undefined> {
    return redrive.redrive(this.pool, deliveryId, operator);
  }

  /** A page of unfinished deliveries no run owns (see the statement), oldest first, for the reconciler. */
  unowned(graceMs: number, limit: number, after?: { createdAt: Date; id: string }): Promise<redrive.UnownedDelivery[]> {
    return redrive.unowned(this.pool, graceMs, limit, after);
  }

  // ---- the API and metrics

  list(filter: view.DeliveryFilter, page: { limit: number; after?: DeliveryCursor }): Promise<view.DeliveryPage> {
    return view.listDeliveries(this.pool, filter, page);
  }

  find(id: string): Promise<view.DeliveryDetail | null> {
    return view.findDelivery(this.pool, id);
  }

  /** Deliveries per system, kind and status. */
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
