// Retention of finished jobs (QUEUE_KEEP_*): jobs are added with the configured limits and Redis trims
// them by count and by age, on the real Redis. The workers here keep BullMQ's defaults of this fleet
// (1,000 / 24 h), so what trims is the options each job was added with.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { UnrecoverableError, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { ConfigError, parseConfig } from '@rhx/config';
import { createLogger } from '@rhx/logger';
import { enqueueValidIncidents, validateIncident } from '@rhx/producer';
import { DEFAULT_JOB_RETENTION, QUEUE_NAMES, Queues, closeWorker, jobIds, jobRetentionFrom, startConsumer, type JobRetention } from '@rhx/queue';
import { TEST_REDIS_URL, uniqueName } from '@rhx/testing';
import { readFixture } from './harness.js';

const logger = createLogger({ name: 'test', level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
const env = { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniqueName('rhxk') };
let redis: Redis;
const opened: Queues[] = [];
const workers: Worker[] = [];

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => closeWorker(w, 2000)));
  for (const q of opened) {
    await Promise.all(q.all().map((x) => x.obliterate({ force: true })));
    await q.close();
  }
  redis.disconnect();
});

/** Queues on a prefix of their own with `retention`, and a ticket-push consumer that fails the incidents named FAIL-*. */
function fleet(retention: JobRetention) {
  const queues = new Queues(redis, uniqueName('rhxk'), { retention });
  opened.push(queues);
  const handler = async (p: { incidentId: string }) => {
    // Finished jobs are ordered by their finish time in milliseconds; two in one millisecond would tie.
    await new Promise((r) => setTimeout(r, 5));
    if (p.incidentId.startsWith('FAIL-')) throw new UnrecoverableError('refused');
    return 'ok';
  };
  workers.push(startConsumer({ ...env, QUEUE_PREFIX: queues.prefix }, logger, { queue: QUEUE_NAMES.ticketPush, handlers: { 'ticket-push': handler }, concurrency: 1 }));
  const push = async (incidentId: string) => {
    const deliveryId = randomUUID();
    await queues.add('ticket-push', { deliveryId, incidentId, system: 'jira' }, jobIds.ticketPush(deliveryId));
    return jobIds.ticketPush(deliveryId);
  };
  const queue = queues.get(QUEUE_NAMES.ticketPush);
  // Until every job added so far has finished (waiting, active and delayed are empty).
  const finished = async () => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      if ((await queue.getJobCountByTypes('waiting', 'active', 'delayed')) === 0) return;
    }
    throw new Error('jobs did not finish in time');
  };
  return { queues, queue, push, finished };
}

describe('QUEUE_KEEP_* settings', () => {
  test('defaults: 1,000 completed for 24 h, 5,000 failed for 7 days', () => {
    expect(jobRetentionFrom(parseConfig({ NODE_ENV: 'test' }))).toEqual(DEFAULT_JOB_RETENTION);
    expect(DEFAULT_JOB_RETENTION).toEqual({ completed: { count: 1000, ageSeconds: 86_400 }, failed: { count: 5000, ageSeconds: 604_800 } });
  });

  test('set values become counts and seconds', () => {
    const c = parseConfig({ NODE_ENV: 'test', QUEUE_KEEP_COMPLETED: '50', QUEUE_KEEP_COMPLETED_HOURS: '2', QUEUE_KEEP_FAILED: '70', QUEUE_KEEP_FAILED_DAYS: '30' });
    expect(jobRetentionFrom(c)).toEqual({ completed: { count: 50, ageSeconds: 7200 }, failed: { count: 70, ageSeconds: 30 * 86_400 } });
  });

  test.each(['0', '-1', 'ten', '1.5', '2000000'])('%j is refused, naming each variable', (bad) => {
    const vars = ['QUEUE_KEEP_COMPLETED', 'QUEUE_KEEP_COMPLETED_HOURS', 'QUEUE_KEEP_FAILED', 'QUEUE_KEEP_FAILED_DAYS'];
    try {
      parseConfig({ NODE_ENV: 'test', ...Object.fromEntries(vars.map((v) => [v, bad])) });
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable).sort()).toEqual(vars.sort());
    }
  });
});

describe('finished jobs are trimmed in Redis', () => {
  test('by count: the newest completed and failed jobs stay, older ones go', async () => {
    const { queue, push, finished } = fleet({ completed: { count: 2, ageSeconds: 3600 }, failed: { count: 1, ageSeconds: 3600 } });
    const ids = [];
    for (const id of ['A', 'FAIL-1', 'B', 'C', 'FAIL-2', 'D']) ids.push(await push(id));
    await finished();
    expect(await queue.getJobCounts('completed', 'failed')).toEqual({ completed: 2, failed: 1 });
    const kept = async (state: 'completed' | 'failed') => (await queue.getJobs([state])).map((j) => j.data.incidentId as string).sort();
    expect(await kept('completed')).toEqual(['C', 'D']);
    expect(await kept('failed')).toEqual(['FAIL-2']);
  });

  test('by age: a completed job older than the limit goes when the next one finishes', async () => {
    const { queue, push, finished } = fleet({ completed: { count: 1000, ageSeconds: 1 }, failed: DEFAULT_JOB_RETENTION.failed });
    const first = await push('OLD');
    await finished();
    expect(await queue.getJobState(first)).toBe('completed');
    await new Promise((r) => setTimeout(r, 1500));
    const second = await push('NEW');
    await finished();
    await new Promise((r) => setTimeout(r, 200));
    expect(await queue.getJobState(second)).toBe('completed');
    expect(await queue.getJobState(first)).toBe('unknown');
  });

  test('the producer library adds incident-created jobs with the retention it is given', async () => {
    const retention = { completed: { count: 3, ageSeconds: 60 }, failed: { count: 4, ageSeconds: 120 } };
    const prefix = uniqueName('rhxk');
    const queues = new Queues(redis, prefix);
    opened.push(queues);
    const incident = validateIncident({ ...readFixture('critical-exfiltration.json'), id: 'KEEP-1' });
    await enqueueValidIncidents(redis, [incident], { prefix, retention });
    const job = await queues.get(QUEUE_NAMES.incidentEvents).getJob(jobIds.incidentCreated('KEEP-1'));
    expect(job?.opts).toMatchObject({ removeOnComplete: { count: 3, age: 60 }, removeOnFail: { count: 4, age: 120 } });
  });
});
