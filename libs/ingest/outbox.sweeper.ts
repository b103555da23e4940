import type { IncidentRepository } from '@rhx/db';
import { JOB_CATALOGUE, QUEUE_NAMES, jobIds, type Queues } from '@rhx/queue';
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

  /** @returns how many jobs it enqueued or revived. */
  async sweepOnce(limit = 500): Promise<number> {
    let revived = 0;
    for (const owed of await this.incidents.owedToQueue(this.graceMs, limit)) {
      const id = jobIds.incidentCreated(owed.id, owed.stamp);
      if (await this.revive(QUEUE_NAMES.incidentEvents, id, () =>
        this.queues.add('incident-created', { incidentId: owed.id, source: 'api', severity: owed.severity }, id),
      )) revived++;
    }
    for (const d of await this.incidents.unownedDeliveries(this.graceMs, limit)) {
      const id = jobIds.ticketPush(d.id);
      if (await this.revive(JOB_CATALOGUE['ticket-push'].queue, id, () =>
        this.queues.add('ticket-push', { deliveryId: d.id, incidentId: d.incidentId, system: d.system }, id),
      )) revived++;
    }
    if (revived > 0) this.logger.warn({ revived }, 'outbox sweep re-enqueued work the queue had lost');
    return revived;
  }

  private async revive(queueName: Parameters<Queues['get']>[0], jobId: string, add: () => Promise<void>): Promise<boolean> {
    const queue = this.queues.get(queueName);
    const state = await queue.getJobState(jobId);
    if (state === 'unknown' || state === 'completed') {
      // A completed job whose work the database does not show was lost half-way: run it again.
      if (state === 'completed') await queue.remove(jobId);
      await add();
      return true;
    }
    if (state === 'failed') {
      const job = await queue.getJob(jobId);
      await job?.retry('failed');
      return true;
    }
    return false; // waiting, active or delayed: it will run
  }
}
