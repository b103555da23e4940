import type { IncidentRepository } from '@rhx/db';
import { jobIds, type Queues } from '@rhx/queue';
import { redriveJob } from '@rhx/push';
import type { Logger } from '@rhx/logger';

/**
 * Re-enqueues what PostgreSQL says is owed to the queues: incidents the API stored that no worker
 * ingested, and deliveries unfinished with no live owner (pending after a grace period, or in progress
 * under an expired lease), each getting one job: a job that is waiting, active or delayed is left be. This is what makes a lost Redis lose
 * nothing: the database is the record, the queue only a signal. Safe to run in every worker at once:
 * job ids dedupe while a job exists, and ingest and push are idempotent in the database anyway.
 */
export class OutboxSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly queues: Queues,
    private readonly logger: Logger,
    private readonly graceMs = 60_000,
  ) {}

  start(intervalMs = 15_000): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweepOnce()
        .catch((err: unknown) => this.logger.warn({ err }, 'outbox sweep failed; will try again'))
        .finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** @returns how many jobs it enqueued again. */
  async sweepOnce(limit = 500): Promise<number> {
    let revived = 0;
    // A job the database still owes whose job finished anyway (completed, or failed for good) was lost
    // half-way: redriveJob replaces it; one waiting, active or delayed will run and is left be.
    for (const owed of await this.incidents.owedToQueue(this.graceMs, limit)) {
      const data = { incidentId: owed.id, source: 'api', severity: owed.severity } as const;
      if ((await redriveJob(this.queues, 'incident-created', data, jobIds.incidentCreated(owed.id, owed.stamp))) === 'added') revived++;
    }
    for (const d of await this.incidents.unownedDeliveries(this.graceMs, limit)) {
      const data = { deliveryId: d.id, incidentId: d.incidentId, system: d.system };
      if ((await redriveJob(this.queues, 'ticket-push', data, jobIds.ticketPush(d.id))) === 'added') revived++;
    }
    if (revived > 0) this.logger.warn({ revived }, 'outbox sweep re-enqueued work the queue had lost');
    return revived;
  }
}
