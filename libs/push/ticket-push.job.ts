import { DelayedError, type Job } from 'bullmq';
import type { JobPayload } from '@rhx/queue';
import { processTicketPush, type PushDeps } from './ticket-push.processor.js';

// A little after the lease ends, so the run that holds it has recorded its outcome.
const AFTER_LEASE_MS = 250;

/**
 * The ticket-push job handler at the worker edge: runs the push, and when another run of the same
 * delivery holds its lease, moves this job to the delayed set until that lease ends instead of
 * failing it or calling the remote alongside (BullMQ runs a job twice when its lock is lost).
 */
export function ticketPushHandler(deps: PushDeps) {
  return async (payload: JobPayload<'ticket-push'>, job: Job, token?: string) => {
    const result = await processTicketPush(deps, payload);
    if (result.outcome !== 'busy') return result.outcome;
    // The database's remaining time, not its clock: this worker's clock may differ from the database's.
    await job.moveToDelayed(Date.now() + result.remainingMs + AFTER_LEASE_MS, token);
    throw new DelayedError();
  };
}
