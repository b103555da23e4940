// Queues.addMany, on the real Redis: what ingest uses to queue an incident's pushes. They go in together
// (one transaction), so concurrent ingests never interleave them, and the push worker takes an incident's
// tickets side by side (they then share their read of the incident).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import { DEFAULT_JOB_RETENTION, JOB_CATALOGUE, QUEUE_NAMES, Queues, jobIds } from '@rhx/queue';
import { TEST_REDIS_URL, uniqueName } from '@rhx/testing';

let redis: Redis;
let queues: Queues;

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queues = new Queues(redis, uniqueName('rhxm'));
});

afterAll(async () => {
  await Promise.all(queues.all().map((q) => q.obliterate({ force: true })));
  await queues.close();
  redis.disconnect();
});

const pushesOf = (incidentId: string) =>
  (['jira', 'servicenow'] as const).map((system) => {
    const deliveryId = randomUUID();
    return { data: { deliveryId, incidentId, system }, jobId: jobIds.ticketPush(deliveryId) };
  });

test("concurrent incidents' pushes are queued each incident's together, with the catalogue's options, and once", async () => {
  const incidents = Array.from({ length: 20 }, (_, i) => pushesOf(`ADD-${i}`));
  await Promise.all(incidents.map((jobs) => queues.addMany('ticket-push', jobs)));
  const queue = queues.get(QUEUE_NAMES.ticketPush);
  const waiting = await queue.getWaiting(0, -1);
  expect(waiting).toHaveLength(40);
  // Oldest first: each incident's two pushes next to each other, whatever the interleaving of the adds.
  const order = waiting.reverse().map((j) => j.data.incidentId as string);
  for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]);
  const job = waiting.find((j) => j.id === incidents[3]![1]!.jobId)!;
  expect(job.data).toEqual(incidents[3]![1]!.data);
  expect(job.opts).toMatchObject({ attempts: JOB_CATALOGUE['ticket-push'].options.attempts, removeOnComplete: { count: DEFAULT_JOB_RETENTION.completed.count } });
  // Queued again (a redelivered ingest job): the ids already waiting are not added twice.
  await queues.addMany('ticket-push', incidents[3]!);
  expect(await queue.getWaitingCount()).toBe(40);
});

test('one invalid push in the list: refused naming the field, and none of the list is queued', async () => {
  const jobs = pushesOf('ADD-BAD');
  const bad = [jobs[0]!, { ...jobs[1]!, data: { ...jobs[1]!.data, system: 'email' as 'jira' } }];
  const queue = queues.get(QUEUE_NAMES.ticketPush);
  const before = await queue.getWaitingCount();
  await expect(queues.addMany('ticket-push', bad)).rejects.toThrow(/system/);
  expect(await queue.getWaitingCount()).toBe(before);
  await queues.addMany('ticket-push', []);
  expect(await queue.getWaitingCount()).toBe(before);
});
