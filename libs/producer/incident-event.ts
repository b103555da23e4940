import { Queue } from 'bullmq';
import { QUEUE_NAMES, createRedisConnection, keyLayoutOf, type CatalogueJob, type JobName, type RedisClient } from '@rhx/queue';
import { throughFailover } from './through-failover.js';

/**
 * Adds one validated event job to the incident-events queue: on `target`'s connection (reused, not
 * closed), or on one opened for a Redis URL and closed here.
 */
export async function addIncidentEvent<N extends JobName>(target: RedisClient | string, job: CatalogueJob<N>, prefix = 'rhx'): Promise<void> {
  const own = typeof target === 'string' ? createRedisConnection(target, 'producer', { enableOfflineQueue: true }) : undefined;
  const connection = own ?? (target as RedisClient);
  const queue = new Queue(QUEUE_NAMES.incidentEvents, { connection, prefix: keyLayoutOf(connection, prefix).queue(QUEUE_NAMES.incidentEvents) });
  queue.on('error', () => {}); // errors reach the caller through the add itself
  try {
    await throughFailover(connection, async () => {
      await queue.add(job.name, job.data, job.opts);
    }, { key: `${queue.qualifiedName}:meta` });
  } finally {
    await queue.close();
    own?.disconnect();
  }
}
