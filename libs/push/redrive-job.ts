import { JOB_CATALOGUE, type JobInput, type JobName, type Queues } from '@rhx/queue';

/** What {@link redriveJob} did: added a job, or found one with the id that will run anyway. */
export type RedriveJobOutcome = 'added' | 'already-queued';

/**
 * Puts a job back on its queue under its derived id, so the work runs again.
 *
 * Job ids derive from the work (one per delivery, one per incident event), and BullMQ keeps a finished
 * job (completed or failed) under its id until it ages out: an `add` with that id is then silently
 * swallowed. So a finished job is removed first and a fresh one added, with the catalogue's options and
 * a full attempt budget. A job that is waiting, delayed, prioritised or active will run anyway and is
 * left as it is. The one re-drive used by manual push, the outbox sweeper and `POST /v1/deliveries/:id/retry`.
 */
export async function redriveJob<N extends JobName>(queues: Queues, name: N, data: JobInput<N>, jobId: string): Promise<RedriveJobOutcome> {
  const queue = queues.get(JOB_CATALOGUE[name].queue);
  const state = await queue.getJobState(jobId);
  if (state !== 'unknown' && state !== 'completed' && state !== 'failed') return 'already-queued';
  if (state !== 'unknown') await queue.remove(jobId);
  await queues.add(name, data, jobId);
  return 'added';
}
