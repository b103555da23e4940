import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Worker } from 'bullmq';
import { QUEUE_NAMES, createRedisConnection, jobIds } from '@rhx/queue';
import type { JiraSimulator } from '@rhx/testing';
import { auth, readFixture, type Harness } from './harness.js';
import { startJiraHarness } from './jira-harness.js';
import { seedDelivery, seedIncidents } from './delivery-rows.js';

// POST /v1/deliveries/:id/retry: FAILED and SKIPPED deliveries run again (one history row, one fresh
// job); everything else is refused as it is. Last, the whole loop with a real push worker and Jira.
let h: Harness;
let jira: JiraSimulator;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ h, jira, close } = await startJiraHarness());
});
afterAll(() => close());

const retry = (id: string) => h.app.inject({ method: 'POST', url: `/v1/deliveries/${id}/retry`, headers: auth });
const pushQueue = () => h.queues.get(QUEUE_NAMES.ticketPush);
const redriveRows = (incidentId: string) => h.prisma.incidentHistory.findMany({ where: { incidentId, action: 'DELIVERY_REDRIVEN' } });

/** Puts the delivery's job in BullMQ's failed set, as an exhausted job is left for Bull Board. */
async function failedJobFor(deliveryId: string, incidentId: string) {
  const connection = createRedisConnection(h.config.REDIS_URL, 'worker');
  const worker = new Worker(QUEUE_NAMES.ticketPush, async () => { throw new Error('remote kept failing'); }, { connection, prefix: h.config.QUEUE_PREFIX });
  try {
    await h.queues.add('ticket-push', { deliveryId, incidentId, system: 'jira' }, jobIds.ticketPush(deliveryId));
    await h.eventually(async () => (await pushQueue().getJobState(jobIds.ticketPush(deliveryId))) === 'failed');
  } finally {
    await worker.close();
    connection.disconnect();
  }
}

describe('a failed or skipped delivery is re-driven', () => {
  test('FAILED: 202, PENDING, a DELIVERY_REDRIVEN history row from the api, and a ticket-push job', async () => {
    await seedIncidents(h, ['R-1']);
    const id = await seedDelivery(h, { incidentId: 'R-1', status: 'FAILED', attempts: 5, lastError: 'Service Unavailable', lastErrorCode: 'REMOTE_UNAVAILABLE' });
    const res = await retry(id);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ deliveryId: id, status: 'PENDING' });
    expect((await h.app.inject({ method: 'GET', url: `/v1/deliveries/${id}`, headers: auth })).json()).toMatchObject({ status: 'PENDING', lastError: 'Service Unavailable' });
    const job = await pushQueue().getJob(jobIds.ticketPush(id));
    expect(await job?.getState()).toBe('waiting');
    expect(job?.data).toEqual({ deliveryId: id, incidentId: 'R-1', system: 'jira' });
    const history = (await h.app.inject({ method: 'GET', url: '/v1/incidents/R-1/history', headers: auth })).json();
    expect(history.nextCursor).toBeNull();
    expect(history.items).toEqual([expect.objectContaining({ action: 'DELIVERY_REDRIVEN', source: 'api', oldValue: { status: 'FAILED' } })]);
  });

  test('an exhausted job in the failed set is replaced by a fresh one (an add alone would be swallowed)', async () => {
    await seedIncidents(h, ['R-2']);
    const id = await seedDelivery(h, { incidentId: 'R-2', status: 'FAILED', attempts: 1 });
    await failedJobFor(id, 'R-2');
    expect((await retry(id)).statusCode).toBe(202);
    const job = await pushQueue().getJob(jobIds.ticketPush(id));
    expect(await job?.getState()).toBe('waiting');
    expect(job?.attemptsMade).toBe(0);
  });

  test('SKIPPED: re-driven as manual push does', async () => {
    await seedIncidents(h, ['R-3']);
    const id = await seedDelivery(h, { incidentId: 'R-3', status: 'SKIPPED', lastErrorCode: 'TARGET_DISABLED' });
    expect((await retry(id)).statusCode).toBe(202);
    expect((await h.prisma.delivery.findUniqueOrThrow({ where: { id } })).status).toBe('PENDING');
    expect(await redriveRows('R-3')).toHaveLength(1);
  });

  test('two re-drives at once: one 202, one 409, one history row, one job', async () => {
    await seedIncidents(h, ['R-4']);
    const id = await seedDelivery(h, { incidentId: 'R-4', status: 'FAILED' });
    const answers = (await Promise.all([retry(id), retry(id)])).map((r) => r.statusCode).sort();
    expect(answers).toEqual([202, 409]);
    expect(await redriveRows('R-4')).toHaveLength(1);
    expect(await pushQueue().getJobState(jobIds.ticketPush(id))).toBe('waiting');
  });
});

describe('refused as it is', () => {
  const live = () => new Date(Date.now() + 60_000);
  test.each([
    ['SUCCEEDED', { status: 'SUCCEEDED' }, 'DELIVERY_SUCCEEDED', /already succeeded: jira ticket SEC-41/],
    ['IN_PROGRESS under a live lease', { status: 'IN_PROGRESS', attempts: 3, leaseUntil: live() }, 'DELIVERY_IN_FLIGHT', /attempt 3 is calling jira now/],
    ['IN_PROGRESS under an expired lease', { status: 'IN_PROGRESS', leaseUntil: new Date(Date.now() - 1000) }, 'DELIVERY_IN_FLIGHT', /sweeper runs it again/],
    ['PENDING', { status: 'PENDING' }, 'DELIVERY_IN_FLIGHT', /pending and will run/],
    ['RETRY_WAIT', { status: 'RETRY_WAIT', nextAttemptAt: new Date('2030-01-01T00:00:00Z') }, 'DELIVERY_IN_FLIGHT', /waiting to retry at 2030-01-01T00:00:00.000Z/],
  ] as const)('%s: 409, and nothing changes', async (what, row, code, message) => {
    const incidentId = `X-${what.replaceAll(' ', '-')}`;
    await seedIncidents(h, [incidentId]);
    const id = await seedDelivery(h, { incidentId, ...row });
    if (row.status === 'SUCCEEDED') {
      await h.prisma.ticketRef.create({ data: { incidentId, system: 'jira', externalId: 'SEC-41', remoteId: '41', url: 'https://jira.example/browse/SEC-41' } });
    }
    const before = await h.prisma.delivery.findUniqueOrThrow({ where: { id } });
    const res = await retry(id);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code, message: expect.stringMatching(message), details: { status: row.status } });
    expect(await h.prisma.delivery.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect(await redriveRows(incidentId)).toHaveLength(0);
    expect(await pushQueue().getJobState(jobIds.ticketPush(id))).toBe('unknown');
  });

  test('an unknown delivery is 404; a malformed id is 400 naming id', async () => {
    const missing = await retry('0b6c1e8a-3f3e-4b7a-9a53-1d2f3e4a5b6c');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('DELIVERY_NOT_FOUND');
    const bad = await retry('INC-2026-0001');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([{ path: 'id', message: expect.any(String) }]);
  });
});

describe('one re-drive helper: the outbox sweeper and manual push replace a finished job too', () => {
  test('the sweeper gives a pending delivery whose job sits in the failed set a fresh job, and leaves a waiting one be', async () => {
    await seedIncidents(h, ['S-1']);
    const id = await seedDelivery(h, { incidentId: 'S-1', status: 'PENDING' });
    await failedJobFor(id, 'S-1');
    const sweeper = h.sweeper(0);
    expect(await sweeper.sweepOnce()).toBeGreaterThanOrEqual(1);
    const job = await pushQueue().getJob(jobIds.ticketPush(id));
    expect([await job?.getState(), job?.attemptsMade]).toEqual(['waiting', 0]);
    const timestamp = job?.timestamp;
    await sweeper.sweepOnce();
    expect((await pushQueue().getJob(jobIds.ticketPush(id)))?.timestamp).toBe(timestamp);
  });

  test('manual push of a failed delivery replaces its failed job', async () => {
    await seedIncidents(h, ['S-2']);
    const id = await seedDelivery(h, { incidentId: 'S-2', status: 'FAILED' });
    await failedJobFor(id, 'S-2');
    const res = await h.app.inject({ method: 'POST', url: '/v1/incidents/S-2/tickets', headers: auth, payload: { target: 'jira' } });
    expect(res.json()).toEqual({ deliveryId: id });
    expect(await pushQueue().getJobState(jobIds.ticketPush(id))).toBe('waiting');
  });
});

test('end to end: Jira refuses the first create, a re-drive makes the ticket, the detail shows both attempts', async () => {
  const incident = { ...readFixture('critical-exfiltration.json'), id: 'E2E-REDRIVE' };
  expect((await h.app.inject({ method: 'POST', url: '/v1/incidents', headers: auth, payload: incident })).statusCode).toBe(202);
  h.startPushWorker();
  jira.faults.next(1, { status: 400, body: { errorMessages: [], errors: { summary: 'Summary is required.' } }, method: 'POST', path: '/issue' });
  const push = await h.app.inject({ method: 'POST', url: '/v1/incidents/E2E-REDRIVE/tickets', headers: auth, payload: { target: 'jira' } });
  const { deliveryId } = push.json();
  const detail = async () => (await h.app.inject({ method: 'GET', url: `/v1/deliveries/${deliveryId}`, headers: auth })).json();
  await h.eventually(async () => (await detail()).status === 'FAILED');
  expect((await retry(deliveryId)).statusCode).toBe(202);
  const done = await h.eventually(async () => { const d = await detail(); return d.status === 'SUCCEEDED' && d; });
  expect(done.attempts.map((a: { number: number; outcome: string }) => `${a.number}:${a.outcome}`)).toEqual(['1:FAILED', '2:SUCCEEDED']);
  expect(done.attempts[0].message).toContain('Summary is required');
  expect(done.ticket).toMatchObject({ externalId: expect.stringMatching(/^SEC-\d+$/) });
  expect(jira.issues().filter((i) => (i.fields.labels as string[]).includes('rhythmx-E2E-REDRIVE'))).toHaveLength(1);
  expect((await retry(deliveryId)).json().error.code).toBe('DELIVERY_SUCCEEDED');
});
