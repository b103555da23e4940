// Producer-path incidents over 64 KB wait in Redis beside their job: no copy is ever left behind,
// and a copy that vanished before its incident was stored is a visible failure, never a silent loss.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { enqueueIncident } from '@rhx/producer';
import { QUEUE_NAMES, jobIds } from '@rhx/queue';
import { readFixture, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.startIngestWorker();
});
afterAll(async () => {
  await h.close();
});

const large = (id: string) => ({ ...readFixture('high-volume.json'), id }); // 270 KB
const copies = () => h.redis.keys(`${h.config.QUEUE_PREFIX}:incident-payload:*`);
const enqueue = (id: string) => enqueueIncident(h.redis, large(id), { prefix: h.config.QUEUE_PREFIX });

test('the same large incident sent again, while its job waits and after it finished, leaves no copy behind', async () => {
  const queue = h.queues.get(QUEUE_NAMES.incidentEvents);
  await queue.pause();
  await enqueue('BESIDE-1');
  await enqueue('BESIDE-1'); // its job exists: the add is a no-op, so the second copy is dropped at once
  expect(await copies()).toHaveLength(1);
  await queue.resume();
  await h.eventually(async () => (await h.prisma.incident.findUnique({ where: { id: 'BESIDE-1' } }))?.ingestedAt);
  await h.eventually(async () => (await copies()).length === 0);
  await enqueue('BESIDE-1'); // its finished job is still kept by BullMQ: again a no-op
  expect(await copies()).toEqual([]);
  expect(await h.prisma.incidentHistory.count({ where: { incidentId: 'BESIDE-1', action: 'CREATED' } })).toBe(1);
});

test('a copy gone before its incident was stored fails the job for good, in the failed set, with the reason', async () => {
  const queue = h.queues.get(QUEUE_NAMES.incidentEvents);
  await queue.pause(); // the worker must not read the copy before it is gone
  await enqueue('BESIDE-LOST');
  await h.redis.del(...(await copies()));
  await queue.resume();
  const jobId = jobIds.incidentCreated('BESIDE-LOST');
  await h.eventually(async () => (await queue.getJobState(jobId)) === 'failed');
  const job = await queue.getJob(jobId);
  expect(job?.attemptsMade).toBe(1);
  expect(job?.failedReason).toContain('gone (expired, or lost with Redis) and was never stored');
  expect(await h.prisma.incident.count({ where: { id: 'BESIDE-LOST' } })).toBe(0);
});
