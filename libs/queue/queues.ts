import { Queue, type ConnectionOptions } from 'bullmq';
import { ALL_QUEUE_NAMES, type QueueName } from './queue-names.js';
import { JOB_CATALOGUE, type JobInput, type JobName } from './job-catalogue.js';

/** The fleet's queues on one connection and prefix. */
export class Queues {
  private readonly byName = new Map<QueueName, Queue>();

  constructor(
    readonly connection: ConnectionOptions,
    readonly prefix: string,
  ) {
    for (const name of ALL_QUEUE_NAMES) this.byName.set(name, new Queue(name, { connection, prefix }));
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
    const entry = JOB_CATALOGUE[name];
    const payload = entry.payload.parse(data);
    await this.get(entry.queue).add(name, payload, { ...entry.options, jobId, ...(delayMs > 0 ? { delay: delayMs } : {}) });
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
