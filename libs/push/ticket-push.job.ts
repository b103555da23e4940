import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { RetryLaterError, retryWait, type BackoffStrategy, type JobPayload, type Queues, type RetrySettings } from '@rhx/queue';
import { requeueDelivery } from './delivery-redrive.js';
import type { PushOutcome } from './delivery-run.js';
import type { PushDeps } from './push-deps.js';
import { pushDelivery } from './push-delivery.js';

// A little after the lease (or the wait) ends, so the run that holds it has recorded its outcome.
const AFTER_LEASE_MS = 250;

/**
 * The ticket-retry queue's backoff strategy (every worker of that queue must define it): the wait the
 * database recorded for the delivery, or, for a failure outside the delivery (the database away), the
 * same exponential backoff capped at the maximum.
 */
export function deliveryBackoff(settings: RetrySettings): BackoffStrategy {
  return (attemptsMade, _type, err) => (err instanceof RetryLaterError ? err.waitMs : retryWait(attemptsMade, undefined, settings).waitMs);
}

/**
 * The ticket-push handler (attempt 1): a retryable failure gets its retry job, delayed by the wait the
 * database recorded; everything else is settled as the retry handler settles it.
 */
export function ticketPushHandler(deps: PushDeps, queues: Queues) {
  return async (payload: JobPayload<'ticket-push'>, job: Job, token?: string) => {
    const outcome = await pushDelivery(deps, payload);
    if (outcome.kind !== 'retryable') return settle(outcome, job, token, queues);
    await requeueDelivery(queues, { id: payload.deliveryId, incidentId: payload.incidentId, system: payload.system, status: 'RETRY_WAIT' }, outcome.retryAfterMs);
    return outcome.kind;
  };
}

/**
 * The ticket-retry handler (attempts 2…): while the database says another attempt is due, the job is
 * retried by BullMQ after that wait (RetryLaterError, which the queue's backoff applies); the last
 * failure fails it for good, where it stays in BullMQ's failed set beside the delivery's FAILED status.
 */
export function ticketRetryHandler(deps: PushDeps, queues: Queues) {
  return async (payload: JobPayload<'ticket-retry'>, job: Job, token?: string) => {
    const outcome = await pushDelivery(deps, payload);
    if (outcome.kind === 'retryable') throw new RetryLaterError(outcome.retryAfterMs);
    return settle(outcome, job, token, queues);
  };
}

/**
 * What both handlers do with an outcome that is not a planned retry: a permanent failure fails the job
 * for good (so it shows in the failed set); a delivery another run holds, or that is not due yet, waits in
 * the delayed set until that run's lease (or the wait) ends, instead of failing or calling the remote
 * alongside (BullMQ runs a job twice when its lock is lost); anything else completes the job.
 */
async function settle(outcome: Exclude<PushOutcome, { kind: 'retryable' }>, job: Job, token: string | undefined, queues: Queues): Promise<string> {
  if (outcome.kind === 'permanent') throw new UnrecoverableError(outcome.message);
  // An update the gate made right after the create; if this enqueue is lost, the reconciler queues it.
  if ('followUp' in outcome && outcome.followUp) await requeueDelivery(queues, { ...outcome.followUp, id: outcome.followUp.deliveryId, status: 'PENDING' }).catch(() => undefined);
  if (outcome.kind !== 'busy' && outcome.kind !== 'waiting') return outcome.kind === 'skip' ? outcome.reason : outcome.kind;
  // The database's remaining time, not its clock: this worker's clock may differ from the database's.
  await job.moveToDelayed(Date.now() + outcome.remainingMs + AFTER_LEASE_MS, token);
  throw new DelayedError();
}
