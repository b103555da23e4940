import { UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import { z } from 'zod';
import { JOB_CATALOGUE, createRedisConnection, type JobName, type JobPayload } from '@rhx/queue';
import type { Config } from '@rhx/config';
import type { Logger } from '@rhx/logger';
import { RetryLaterError } from '@rhx/push';

/** Handlers by job name; the compiler insists every job of a consumed queue has one. */
export type Handlers<N extends JobName> = { [K in N]: (payload: JobPayload<K>, job: Job, token?: string) => Promise<unknown> };

/**
 * A BullMQ worker for one queue that parses each payload with the catalogue first: a payload that does
 * not parse can never succeed, so it fails at once (UnrecoverableError) instead of being retried.
 */
export function startConsumer<N extends JobName>(
  config: Config,
  logger: Logger,
  queue: (typeof JOB_CATALOGUE)[N]['queue'],
  handlers: Handlers<N>,
  concurrency: number,
  options: Pick<WorkerOptions, 'settings'> = {},
): Worker {
  const connection = createRedisConnection(config.REDIS_URL, 'worker');
  const worker = new Worker(
    queue,
    async (job, token) => {
      const name = job.name as N;
      const entry = JOB_CATALOGUE[name];
      const handler = handlers[name];
      if (!entry || !handler) throw new UnrecoverableError(`no handler for job ${job.name} on ${queue}`);
      const parsed = (entry.payload as z.ZodType).safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`invalid ${job.name} payload: ${z.prettifyError(parsed.error)}`);
      return handler(parsed.data as JobPayload<typeof name>, job, token);
    },
    { connection, prefix: config.QUEUE_PREFIX, concurrency, ...options },
  );
  // BullMQ leaves a connection it was handed open on close; this one belongs to the worker alone.
  worker.on('closed', () => connection.disconnect());
  worker.on('failed', (job, err) => {
    const fields = { queue, jobId: job?.id, ...jobLogFields(job?.data), err: err.message };
    // A planned retry is the delivery's normal course (its failure was logged when it happened).
    if (err instanceof RetryLaterError) logger.debug(fields, 'job will run again after the recorded wait');
    else logger.warn(fields, 'job failed');
  });
  worker.on('error', (err) => logger.error({ queue, err: err.message }, 'worker error'));
  return worker;
}

/** Stops taking jobs and waits for the active ones, but never longer than `limitMs` (bullmq #2430). */
export async function closeWorker(worker: Worker, limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limitMs)));
  const outcome = await Promise.race([worker.close(), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') await worker.close(true);
}

/**
 * The incident and delivery a job's raw data names (`incidentId`, `system`, `deliveryId`, each only when
 * it is a string), for log lines about a job whose payload may not even have parsed.
 */
export function jobLogFields(data: unknown): { incidentId?: string; system?: string; deliveryId?: string } {
  if (typeof data !== 'object' || data === null) return {};
  const fields: Record<string, string> = {};
  for (const key of ['incidentId', 'system', 'deliveryId'] as const) {
    const value = (data as Record<string, unknown>)[key];
    if (typeof value === 'string') fields[key] = value;
  }
  return fields;
}
