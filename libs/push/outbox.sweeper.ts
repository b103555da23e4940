import type { IncidentRepository } from '@rhx/db';
import { JOB_CATALOGUE, jobIds, jobOptions, type Queues } from '@rhx/queue';
import type { Logger } from '@rhx/logger';
import type { DeliveryRepository } from '@rhx/deliveries';
import { requeueDelivery } from './delivery-redrive.js';

/** The product's retry processor "runs on a 2-minute schedule". */
export const RECONCILE_EVERY_MS = 120_000;

/**
 * Re-enqueues what PostgreSQL says is owed to the queues: incidents the API stored that no worker
 * ingested, deliveries unfinished with no live owner (pending after a grace period, or in progress under
 * an expired lease) and deliveries whose retry is due, each getting one job: a job that is waiting,
 * active or delayed is left be. This is what makes a lost Redis lose nothing: the database is the
 * record, the queue only a signal. Safe to run anywhere at once: ingest and push are idempotent in the
 * database. It runs as the `delivery-reconcile` job of a BullMQ Job Scheduler (one run per interval
 * however many retry workers there are) and once when a retry worker starts.
 */
export class OutboxSweeper {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly queues: Queues,
    private readonly logger: Logger,
    private readonly graceMs = 60_000,
  ) {}

  /**
   * Deliveries are read a page of `limit` at a time until none is left, so however many are due (a
   * disabled system's waiting ones, say) every one is looked after, and newer lost work never starves.
   * @returns how many jobs it enqueued or revived.
   */
  async sweepOnce(limit = 500): Promise<number> {
    let revived = 0;
    for (const owed of await this.incidents.owedToQueue(this.graceMs, limit)) {
      const id = jobIds.incidentCreated(owed.id, owed.stamp);
      if (await this.queues.addAgain('incident-created', { incidentId: owed.id, source: 'api', severity: owed.severity }, id)) revived++;
    }
    for (let page = await this.deliveries.unowned(this.graceMs, limit); page.length > 0; ) {
      for (const d of page) if (await requeueDelivery(this.queues, d)) revived++;
      const last = page[page.length - 1]!;
      page = page.length < limit ? [] : await this.deliveries.unowned(this.graceMs, limit, { createdAt: last.createdAt, id: last.id });
    }
    if (revived > 0) this.logger.warn({ revived }, 'reconciler re-enqueued work the queue had lost');
    return revived;
  }
}

const RECONCILER_ID = 'delivery-reconciler';

/** Registers the reconciler's Job Scheduler (idempotent by its id: every retry worker may call it). */
export async function scheduleReconciler(queues: Queues, everyMs = RECONCILE_EVERY_MS): Promise<void> {
  const { queue } = JOB_CATALOGUE['delivery-reconcile'];
  const opts = jobOptions('delivery-reconcile', queues.retention);
  await queues.get(queue).upsertJobScheduler(RECONCILER_ID, { every: everyMs }, { name: 'delivery-reconcile', data: {}, opts });
}

/**
 * Registers the reconciler's Job Scheduler again if Redis no longer has it. The schedule lives in Redis,
 * so a Redis that lost its data (restarted without persistence, failed over, flushed) loses the very
 * job that would re-enqueue what the queue lost; retry workers call this periodically. Only a missing
 * schedule is upserted: concurrent upserts of a live one are what BullMQ has got wrong (notes/BULLMQ.md).
 * @returns whether it had to register it.
 */
export async function ensureReconcilerScheduled(queues: Queues, everyMs = RECONCILE_EVERY_MS): Promise<boolean> {
  if (await queues.get(JOB_CATALOGUE['delivery-reconcile'].queue).getJobScheduler(RECONCILER_ID)) return false;
  await scheduleReconciler(queues, everyMs);
  return true;
}
