import { UnrecoverableError, Worker, type AdvancedOptions, type Job } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '@rhx/logger';
import { createRedisConnection } from './connection.js';
import { keyLayoutOf } from './key-layout.js';
import { JOB_CATALOGUE, type JobName, type JobPayload } from './job-catalogue.js';
import { DEFAULT_JOB_RETENTION, keepJobs, type JobRetention } from './job-retention.js';

/** Handlers by job name; the compiler insists every job of a consumed queue has one. */
export type Handlers<N extends JobName> = { [K in N]: (payload: JobPayload<K>, job: Job, token?: string) => Promise<unknown> };

/** BullMQ's custom backoff: ms before the next try (`-1`: none); see notes/BULLMQ.md. */
export type BackoffStrategy = NonNullable<AdvancedOptions['backoffStrategy']>;

/**
 * Thrown by a handler whose job is planned to run again after `waitMs` (the queue's backoff strategy
 * applies exactly that wait). A planned retry is the work's normal course, not a failure: the consumer
 * logs it at debug, and the failure behind it was logged when it happened.
 */
export class RetryLaterError extends Error {
  constructor(readonly waitMs: number) {
    super(`due again in ${waitMs} ms`);
    this.name = 'RetryLaterError';
  }
}

/** Where workers connect: the fleet's Redis and BullMQ prefix. */
export interface ConsumerEnv {
  REDIS_URL: string;
  QUEUE_PREFIX: string;
}

export interface ConsumerOptions<N extends JobName> {
  queue: (typeof JOB_CATALOGUE)[N]['queue'];
  handlers: Handlers<N>;
  concurrency: number;
  /** Required on a queue whose jobs use a custom backoff type (every worker of it must define it). */
  backoffStrategy?: BackoffStrategy;
  /** Finished jobs kept, for jobs added without their own (`QUEUE_KEEP_*`); the defaults otherwise. */
  retention?: JobRetention;
}

/** A started role of a worker process: its consumers (and timers), stopped together. */
export interface RunningRole {
  /** Names of the queues it consumes, for the start-up log line. */
  readonly queues: readonly string[];
  /** Stops taking jobs and waits for the active ones, each consumer at most `limitMs`. */
  close(limitMs: number): Promise<void>;
}

/**
 * A BullMQ worker for one queue, on a connection of its own made as BullMQ's production guide says
 * (`maxRetriesPerRequest: null`, the offline queue on: a worker waits out a Redis outage instead of
 * failing its commands). It parses each payload with the catalogue first: a payload that does not
 * parse can never succeed, so it fails at once (UnrecoverableError) instead of being retried.
 */
export function startConsumer<N extends JobName>(env: ConsumerEnv, logger: Logger, options: ConsumerOptions<N>): Worker {
  const { queue, handlers, concurrency, backoffStrategy } = options;
  const connection = createRedisConnection(env.REDIS_URL, 'worker');
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
    {
      connection,
      prefix: keyLayoutOf(connection, env.QUEUE_PREFIX).queue(queue),
      concurrency,
      ...keepJobs(options.retention ?? DEFAULT_JOB_RETENTION),
      ...(backoffStrategy ? { settings: { backoffStrategy } } : {}),
    },
  );
  // BullMQ leaves a connection it was handed open on close; this one belongs to the worker alone.
  worker.on('closed', () => connection.disconnect());
  worker.on('failed', (job, err) => {
    const fields = { queue, jobId: job?.id, ...jobLogFields(job?.data), err: err.message };
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

/** A role made of `workers` (and whatever `stop` clears first, such as timers). */
export function runningRole(workers: Worker[], stop: () => void = () => {}): RunningRole {
  return {
    queues: workers.map((w) => w.name),
    async close(limitMs) {
      stop();
      await Promise.all(workers.map((w) => closeWorker(w, limitMs)));
    },
  };
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
