import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { jobIds, retryWait, type JobPayload, type Queues, type RetrySettings } from '@rhx/queue';
import { processTicketPush, type PushDeps, type PushResult } from './ticket-push.processor.js';

// A little after the lease ends, so the run that holds it has recorded its outcome.
const AFTER_LEASE_MS = 250;

/** Thrown by a retry job whose delivery is due again in `waitMs`; the backoff strategy applies exactly that wait. */
export class RetryLaterError extends Error {
  constructor(readonly waitMs: number) {
    super(`the delivery is due again in ${waitMs} ms`);
    this.name = 'RetryLaterError';
  }
}

/**
 * The ticket-retry queue's backoff strategy (every worker of that queue must define it): the wait the
 * database recorded for the delivery, or, for a failure outside the delivery (the database away), the
 * same exponential backoff capped at the maximum.
 */
export function deliveryBackoff(settings: RetrySettings) {
  return (attemptsMade: number, _type?: string, err?: Error): number =>
    err instanceof RetryLaterError ? err.waitMs : retryWait(attemptsMade, undefined, settings).waitMs;
}

/**
 * The ticket-push handler (attempt 1): runs the push; a retryable failure gets its retry job, delayed by
 * the wait the database recorded; a permanent one fails the job for good, so it shows in the failed set.
 */
export function ticketPushHandler(deps: PushDeps, queues: Queues) {
  return async (payload: JobPayload<'ticket-push'>, job: Job, token?: string) => {
    const result = await processTicketPush(deps, payload);
    if (result.outcome === 'retry') {
      await queues.addAgain('ticket-retry', payload, jobIds.ticketRetry(payload.deliveryId), result.waitMs);
      return result.outcome;
    }
    return settle(result, job, token);
  };
}

/**
 * The ticket-retry handler (attempts 2…): runs the push again; while the database says another attempt
 * is due, the job is retried by BullMQ after that wait; the last failure fails it for good, where it
 * stays in BullMQ's failed set beside the delivery's FAILED status.
 */
export function ticketRetryHandler(deps: PushDeps) {
  return async (payload: JobPayload<'ticket-retry'>, job: Job, token?: string) => {
    const result = await processTicketPush(deps, payload);
    if (result.outcome === 'retry') throw new RetryLaterError(result.waitMs);
    return settle(result, job, token);
  };
}

// When another run holds the delivery's lease, this job waits in the delayed set until it ends,
// instead of failing or calling the remote alongside (BullMQ runs a job twice when its lock is lost).
async function settle(result: Exclude<PushResult, { outcome: 'retry' }>, job: Job, token: string | undefined) {
  if (result.outcome === 'failed') throw new UnrecoverableError(result.message);
  if (result.outcome !== 'busy') return result.outcome;
  // The database's remaining time, not its clock: this worker's clock may differ from the database's.
  await job.moveToDelayed(Date.now() + result.remainingMs + AFTER_LEASE_MS, token);
  throw new DelayedError();
}
