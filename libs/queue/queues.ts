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

  /** Validates `data` against the catalogue and adds the job with its catalogue options and `jobId`. */
  async add<N extends JobName>(name: N, data: JobInput<N>, jobId: string): Promise<void> {
    const entry = JOB_CATALOGUE[name];
    const payload = entry.payload.parse(data);
    await this.get(entry.queue).add(name, payload, { ...entry.options, jobId });
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
