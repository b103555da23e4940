import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import { parseConfig } from '@rhx/config';
import { createLogger } from '@rhx/logger';
import { TEST_REDIS_URL, uniqueName } from '@rhx/testing';
import { QUEUE_NAMES } from './queue-names.js';
import { Queues } from './queues.js';
import { closeWorker, startConsumer } from './consumer.js';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
    done();
  },
});
const config = parseConfig({ NODE_ENV: 'test', REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniqueName('rhxc') });
const logger = createLogger({ name: 'test', level: 'info', destination: sink });
let redis: Redis;
let queues: Queues;

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queues = new Queues(redis, config.QUEUE_PREFIX);
});
afterAll(async () => {
  await Promise.all(queues.all().map((q) => q.obliterate({ force: true })));
  await queues.close();
  redis.disconnect();
});

const deliveryId = randomUUID();
test.each([
  ['a handler failure on a delivery', 'ticket-push', { deliveryId, incidentId: 'INC-9.1', system: 'jira' }, { incidentId: 'INC-9.1', system: 'jira', deliveryId }],
  ['a payload that does not parse', 'ticket-push', { deliveryId: 'not-a-uuid', incidentId: 'INC-9.2', system: 'jira' }, { incidentId: 'INC-9.2', system: 'jira', deliveryId: 'not-a-uuid' }],
  ['an incident event', 'incident-created', { incidentId: 'INC-9.3', source: 'api', severity: 'HIGH' }, { incidentId: 'INC-9.3' }],
] as const)('the "job failed" line names the incident and delivery: %s', async (_what, name, data, expected) => {
  const queue = name === 'ticket-push' ? QUEUE_NAMES.ticketPush : QUEUE_NAMES.incidentEvents;
  const fail = async () => {
    throw new Error('remote refused');
  };
  const worker = startConsumer(config, logger, { queue, handlers: { [name]: fail } as never, concurrency: 1 });
  const job = await queues.get(queue).add(name, data, { attempts: 1 });
  const deadline = Date.now() + 10_000;
  let line: Record<string, unknown> | undefined;
  while (!(line = lines.find((l) => l.msg === 'job failed' && l.queue === queue && l.jobId === job.id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await closeWorker(worker, 2000);
  expect(line).toMatchObject({ queue, ...expected });
  for (const key of ['incidentId', 'system', 'deliveryId']) if (!(key in expected)) expect(line).not.toHaveProperty(key);
});
