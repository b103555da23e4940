import { JOB_CATALOGUE, type Queues } from '@rhx/queue';

/** The sync cycle's Job Scheduler id. PERSISTED: it names the schedule in Redis. */
export const SYNC_SCHEDULER_ID = 'ticket-sync-cycle';

/**
 * Registers the sync cycle's Job Scheduler (`every` ms; the first cycle is due at once) and holds the
 * sync queue to one active job fleet-wide, so a cycle that overruns its interval is followed by the next
 * only once it has finished (BullMQ produces the next job when the current one starts; notes/BULLMQ.md).
 */
export async function scheduleSyncCycle(queues: Queues, everyMs: number): Promise<void> {
  const { queue: name, options } = JOB_CATALOGUE['sync-cycle'];
  const queue = queues.get(name);
  await queue.setGlobalConcurrency(1);
  await queue.upsertJobScheduler(SYNC_SCHEDULER_ID, { every: everyMs }, { name: 'sync-cycle', data: {}, opts: options });
}

/**
 * Registers the schedule if Redis does not have it (lost with Redis's data, or never made) or has it with
 * another interval (`SYNC_INTERVAL_SECONDS` changed), and restores the one-at-a-time limit, which lives in
 * Redis too. A live schedule with the right interval is left alone: concurrent upserts of one scheduler are
 * what BullMQ has got wrong (notes/BULLMQ.md), so every sync worker may call this at start and periodically.
 * @returns whether it had to register it.
 */
export async function ensureSyncScheduled(queues: Queues, everyMs: number): Promise<boolean> {
  const queue = queues.get(JOB_CATALOGUE['sync-cycle'].queue);
  const scheduler = await queue.getJobScheduler(SYNC_SCHEDULER_ID);
  if (scheduler && Number(scheduler.every) === everyMs) {
    if ((await queue.getGlobalConcurrency()) !== 1) await queue.setGlobalConcurrency(1);
    return false;
  }
  await scheduleSyncCycle(queues, everyMs);
  return true;
}
