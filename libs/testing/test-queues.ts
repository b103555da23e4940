import { Redis } from 'ioredis';
import { Queues } from '@rhx/queue';
import { TEST_REDIS_URL } from './test-database.js';

/** Removes every queue (jobs, schedulers, keys) a test's fleet made under `prefix` on the shared test Redis. */
export async function removeTestQueues(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queues = new Queues(redis, prefix);
  await Promise.all(queues.all().map((q) => q.obliterate({ force: true })));
  await queues.close();
  redis.disconnect();
}
