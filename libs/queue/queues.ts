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
   * Adds a job whose id may belong to a finished job of an earlier round (a re-drive, a retry after an
   * earlier exhaustion): a finished job keeps its id and would swallow the add, so it is removed first.
   * A job that is waiting, delayed or active is left as it is: it will run.
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
