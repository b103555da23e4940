import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES, createRedisConnection, type CatalogueJob, type JobName } from '@rhx/queue';
import { throughFailover } from './through-failover.js';

/**
 * Adds one validated event job to the incident-events queue: on `target`'s connection (reused, not
 * closed), or on one opened for a Redis URL and closed here.
 */
export async function addIncidentEvent<N extends JobName>(target: Redis | string, job: CatalogueJob<N>, prefix = 'rhx'): Promise<void> {
  const own = typeof target === 'string' ? createRedisConnection(target, 'producer', { enableOfflineQueue: true }) : undefined;
  const queue = new Queue(QUEUE_NAMES.incidentEvents, { connection: own ?? (target as Redis), prefix });
  queue.on('error', () => {}); // errors reach the caller through the add itself
  try {
    await throughFailover(own ?? (target as Redis), async () => {
      await queue.add(job.name, job.data, job.opts);
    });
  } finally {
    await queue.close();
    own?.disconnect();
  }
}
