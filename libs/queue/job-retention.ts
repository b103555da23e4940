import type { JobsOptions, KeepJobs } from 'bullmq';

/**
 * How many finished jobs Redis keeps, and for how long (`QUEUE_KEEP_*`). BullMQ keeps completed and
 * failed jobs forever unless told otherwise, so a fleet that runs for months would fill Redis; the
 * database is the record of every delivery, so a finished job is only worth keeping while someone may
 * look at it on the dashboard (and, completed, while its id still turns a duplicate enqueue into a no-op).
 * Both limits apply: a job goes when it is older than the age or beyond the newest `count`.
 */
export interface JobRetention {
  completed: { count: number; ageSeconds: number };
  failed: { count: number; ageSeconds: number };
}

/** The defaults of `QUEUE_KEEP_COMPLETED`, `QUEUE_KEEP_COMPLETED_HOURS`, `QUEUE_KEEP_FAILED`, `QUEUE_KEEP_FAILED_DAYS`. */
export const DEFAULT_JOB_RETENTION: JobRetention = {
  completed: { count: 1000, ageSeconds: 24 * 3600 },
  failed: { count: 5000, ageSeconds: 7 * 24 * 3600 },
};

export function jobRetentionFrom(config: {
  QUEUE_KEEP_COMPLETED: number;
  QUEUE_KEEP_COMPLETED_HOURS: number;
  QUEUE_KEEP_FAILED: number;
  QUEUE_KEEP_FAILED_DAYS: number;
}): JobRetention {
  return {
    completed: { count: config.QUEUE_KEEP_COMPLETED, ageSeconds: config.QUEUE_KEEP_COMPLETED_HOURS * 3600 },
    failed: { count: config.QUEUE_KEEP_FAILED, ageSeconds: config.QUEUE_KEEP_FAILED_DAYS * 24 * 3600 },
  };
}

/** BullMQ's `removeOnComplete` / `removeOnFail` for a retention (the same shape on jobs and on workers). */
export function keepJobs(retention: JobRetention): { removeOnComplete: KeepJobs; removeOnFail: KeepJobs } {
  return {
    removeOnComplete: { count: retention.completed.count, age: retention.completed.ageSeconds },
    removeOnFail: { count: retention.failed.count, age: retention.failed.ageSeconds },
  } satisfies Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'>;
}
