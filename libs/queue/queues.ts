import { Queue, type ConnectionOptions } from 'bullmq';
import { ALL_QUEUE_NAMES, type QueueName } from './queue-names.js';
import { JOB_CATALOGUE, catalogueJob, type JobInput, type JobName } from './job-catalogue.js';
import { DEFAULT_JOB_RETENTION, type JobRetention } from './job-retention.js';
import { keyLayoutOf, type KeyLayout } from './key-layout.js';

export interface QueuesOptions {
  /** How long finished jobs are kept (`QUEUE_KEEP_*`); the defaults otherwise. */
  retention?: JobRetention;
  /**
   * Connection problems of the queues (BullMQ's `error` event). Without a listener BullMQ only writes
   * them to the console, past the process's logger.
   */
  onError?: (err: Error) => void;
}

/** The fleet's queues on one connection, under the fleet's prefix; every job is added with the catalogue's options and the retention. */
export class Queues {
  private readonly byName = new Map<QueueName, Queue>();
  readonly retention: JobRetention;
  /** Where each queue's keys (and the keys beside them) live: see {@link keyLayoutOf}. */
  readonly layout: KeyLayout;

  constructor(
    readonly connection: ConnectionOptions,
    readonly prefix: string,
    options: QueuesOptions = {},
  ) {
    this.retention = options.retention ?? DEFAULT_JOB_RETENTION;
    this.layout = keyLayoutOf(connection, prefix);
    for (const name of ALL_QUEUE_NAMES) {
      const queue = new Queue(name, { connection, prefix: this.layout.queue(name) });
      if (options.onError) queue.on('error', options.onError);
      this.byName.set(name, queue);
    }
  }

  get(name: QueueName): Queue {
    const queue = this.byName.get(name);
    if (!queue) throw new Error(`unknown queue ${name}`);
    return queue;
  }

  all(): Queue[] {
    return [...this.byName.values()];
  }

  /** Validates `data` against the catalogue and adds the job with its catalogue options and `jobId` (and a `delayMs`). */
  async add<N extends JobName>(name: N, data: JobInput<N>, jobId: string, delayMs = 0): Promise<void> {
    const job = catalogueJob(name, data, jobId, this.retention, delayMs);
    await this.get(job.queue).add(job.name, job.data, job.opts);
  }

  /**
   * Adds several jobs of one kind in one round trip (BullMQ's `addBulk`: one transaction), next to each other
   * in their queue: an incident's pushes, say, which then run together and share their reads.
   */
  async addMany<N extends JobName>(name: N, jobs: readonly { data: JobInput<N>; jobId: string }[]): Promise<void> {
    if (jobs.length === 0) return;
    const built = jobs.map(({ data, jobId }) => catalogueJob(name, data, jobId, this.retention));
    await this.get(JOB_CATALOGUE[name].queue).addBulk(built.map(({ name: jobName, data, opts }) => ({ name: jobName, data, opts })));
  }

  /**
   * Puts work back on its queue under its derived id (the one re-drive of manual push, the reconciler,
   * `POST /v1/deliveries/:id/retry` and retries): BullMQ keeps a finished job (completed or failed) under
   * its id until it ages out, and an add with that id is then silently swallowed, so a finished job is
   * removed first and a fresh one added with the catalogue's options and a full attempt budget. A job
   * that is waiting, delayed, prioritised or active is left as it is: it will run.
   * @returns whether a job was added.
   */
  async addAgain<N extends JobName>(name: N, data: JobInput<N>, jobId: string, delayMs = 0): Promise<boolean> {
    const queue = this.get(JOB_CATALOGUE[name].queue);
    const state = await queue.getJobState(jobId);
    if (state !== 'unknown' && state !== 'completed' && state !== 'failed') return false;
    if (state !== 'unknown') await queue.remove(jobId);
    await this.add(name, data, jobId, delayMs);
    return true;
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
