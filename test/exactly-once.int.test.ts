// Attacks on "exactly one ticket": two runs of one delivery at once, a stalled BullMQ job run again
// while its first run still waits on Jira, a re-drive during a slow create, a worker that died after
// sending a create, and failures before any remote call that must not loop.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Worker } from 'bullmq';
import { poolOf } from '@rhx/db';
import { createAdapter } from '@rhx/adapters';
import { incidentSchema } from '@rhx/domain';
import { QUEUE_NAMES, createRedisConnection, jobIds } from '@rhx/queue';
import { DeliveryLeases, DeliveryRepository, createPushDeps, pushDelivery, requestManualPush, ticketPushHandler } from '@rhx/push';
import type { JiraSimulator } from '@rhx/testing';
import { auth, readFixture, type Harness } from './harness.js';
import { JIRA_ACCOUNT, startJiraHarness } from './jira-harness.js';

// Long enough that a create held by the test never times out before the test releases it.
const HTTP_TIMEOUT_MS = 10_000;

let h: Harness;
let jira: JiraSimulator;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ h, jira, close } = await startJiraHarness({ HTTP_TIMEOUT_MS: String(HTTP_TIMEOUT_MS) }));
});
afterAll(() => close());

/** A stored, ingested incident with one PENDING Jira delivery and no job for it. */
async function pendingDelivery(id: string) {
  const res = await h.app.inject({ method: 'POST', url: '/v1/incidents', headers: auth, payload: { ...readFixture('critical-exfiltration.json'), id } });
  expect(res.statusCode).toBe(202);
  await h.prisma.incident.update({ where: { id }, data: { ingestedAt: new Date() } });
  const d = await h.prisma.delivery.create({ data: { incidentId: id, system: 'jira', trigger: 'manual' } });
  return { deliveryId: d.id, incidentId: id, system: 'jira' as const };
}

const issuesOf = (id: string) => jira.issues().filter((i) => (i.fields.labels as string[]).includes(`rhythmx-${id}`));
/** What the reconciler finds unowned now (no grace). */
const unowned = (graceMs: number, limit: number) => new DeliveryRepository(h.prisma).unowned(graceMs, limit);
const deps = (leaseMarginMs = 2000) => createPushDeps(h.prisma, h.integrations, h.config, h.logger, { settingsTtlMs: 0, leaseMarginMs });

/** Jira holds the next create until `release()`; the test decides when the slow remote answers. */
function holdNextCreate() {
  let release!: () => void;
  jira.faults.next(1, { holdUntil: new Promise<void>((r) => (release = r)), method: 'POST', path: '/issue' });
  return release;
}

/** Resolves once a run holds the delivery's lease (it does before any remote create). */
const leaseTaken = (deliveryId: string) =>
  h.eventually(async () => (await h.prisma.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).leaseToken !== null);

async function outcomeOf(id: string) {
  const d = await h.prisma.delivery.findFirstOrThrow({ where: { incidentId: id }, include: { attemptsLog: { orderBy: { number: 'asc' } } } });
  const history = await h.prisma.incidentHistory.findMany({ where: { incidentId: id, action: { in: ['TICKET_CREATED', 'TICKET_ADOPTED'] } } });
  return {
    status: d.status,
    attempts: d.attemptsLog.map((a) => `${a.number}:${a.outcome}`),
    refs: await h.prisma.ticketRef.count({ where: { incidentId: id } }),
    history: history.map((r) => r.action),
    issues: issuesOf(id).length,
  };
}

describe('two runs of one delivery never make two tickets', () => {
  test('a second run while the first waits on a slow create waits for the lease instead of creating', async () => {
    const job = await pendingDelivery('EO-CONCURRENT');
    const release = holdNextCreate();
    const first = pushDelivery(deps(), job);
    await leaseTaken(job.deliveryId);
    expect(await pushDelivery(deps(), job)).toEqual({ kind: 'busy', remainingMs: expect.any(Number) });
    release();
    expect(await first).toEqual({ kind: 'ticket', ref: expect.objectContaining({ system: 'jira', externalId: issuesOf('EO-CONCURRENT')[0]!.key }) });
    // The delayed run, once the lease is gone, finds the work done.
    expect(await pushDelivery(deps(), job)).toEqual({ kind: 'skip', reason: 'done' });
    expect(await outcomeOf('EO-CONCURRENT')).toEqual({ status: 'SUCCEEDED', attempts: ['1:SUCCEEDED'], refs: 1, history: ['TICKET_CREATED'], issues: 1 });
  });

  test('a stalled BullMQ job run again during a slow create: one Jira issue, the re-run delayed until the lease ends', async () => {
    const job = await pendingDelivery('EO-STALLED');
    const release = holdNextCreate();
    const handler = ticketPushHandler(deps(), h.queues);
    const connection = createRedisConnection(h.config.REDIS_URL, 'worker');
    // This worker never renews its lock, so BullMQ declares the job stalled while its first run goes on
    // and hands it out again: what an event-loop pause or a Redis blip does in production.
    const stalling = new Worker(QUEUE_NAMES.ticketPush, (j, token) => handler(j.data, j, token), {
      connection, prefix: h.config.QUEUE_PREFIX, lockDuration: 600, lockRenewTime: 3_600_000, stalledInterval: 300, maxStalledCount: 5,
    });
    // Its own finish then fails with "Missing lock" (the job belongs to the other run now), as it should.
    stalling.on('error', () => undefined);
    const queue = h.queues.get(QUEUE_NAMES.ticketPush);
    const jobId = jobIds.ticketPush(job.deliveryId);
    try {
      await h.queues.add('ticket-push', job, jobId);
      await leaseTaken(job.deliveryId);
      h.startPushWorker({ leaseMarginMs: 2000 });
      await h.eventually(async () => h.logs.lines.some((l) => l.includes('EO-STALLED') && l.includes('another run is in flight for this delivery')));
      await h.eventually(async () => (await queue.getJobState(jobId)) === 'delayed');
      release();
      await h.eventually(async () => (await outcomeOf('EO-STALLED')).status === 'SUCCEEDED');
      await (await queue.getJob(jobId))!.promote(); // instead of waiting out the lease
      await h.eventually(async () => (await queue.getJobState(jobId)) === 'completed');
    } finally {
      release();
      await stalling.close(true);
      connection.disconnect();
    }
    expect(await outcomeOf('EO-STALLED')).toEqual({ status: 'SUCCEEDED', attempts: ['1:SUCCEEDED'], refs: 1, history: ['TICKET_CREATED'], issues: 1 });
  });

  test('a manual re-drive during a slow create makes no second ticket', async () => {
    const job = await pendingDelivery('EO-REDRIVE');
    const release = holdNextCreate();
    const first = pushDelivery(deps(), job);
    await leaseTaken(job.deliveryId);
    expect(await requestManualPush({ deliveries: new DeliveryRepository(h.prisma), queues: h.queues }, job.incidentId, 'jira', { kind: 'console', name: 'alice' })).toEqual({ kind: 'queued', deliveryId: job.deliveryId });
    expect(await pushDelivery(deps(), job)).toMatchObject({ kind: 'busy' });
    release();
    await first;
    expect(await outcomeOf('EO-REDRIVE')).toMatchObject({ status: 'SUCCEEDED', refs: 1, issues: 1 });
  });
});

describe('a delivery whose run died is finished exactly once', () => {
  test('in progress under an expired lease after the create reached Jira: the sweeper gives it one run, which adopts the issue', async () => {
    const job = await pendingDelivery('EO-DIED');
    // A run takes a short lease, sends the create, and dies before recording anything.
    const lease = await new DeliveryLeases(poolOf(h.prisma), 300).acquire(job.deliveryId);
    expect(lease.kind).toBe('acquired');
    const adapter = createAdapter('jira', { baseUrl: jira.url, deployment: 'cloud', ...JIRA_ACCOUNT, projectKey: 'SEC' }, { httpTimeoutMs: HTTP_TIMEOUT_MS });
    const incident = readFixture('critical-exfiltration.json');
    await adapter.createTicket(await adapter.prepareCreate(incidentSchema.parse({ ...incident, id: 'EO-DIED' })));
    await h.eventually(async () => (await unowned(0, 100)).some((d) => d.id === job.deliveryId)); // its lease ran out

    h.startPushWorker({ leaseMarginMs: 2000 });
    const sweeper = h.sweeper(0);
    expect(await sweeper.sweepOnce()).toBeGreaterThanOrEqual(1);
    await h.eventually(async () => (await outcomeOf('EO-DIED')).status === 'SUCCEEDED');
    expect(await outcomeOf('EO-DIED')).toEqual({ status: 'SUCCEEDED', attempts: ['1:UNKNOWN', '2:SUCCEEDED'], refs: 1, history: ['TICKET_ADOPTED'], issues: 1 });
    await h.eventually(async () => (await h.queues.get(QUEUE_NAMES.ticketPush).getJobState(jobIds.ticketPush(job.deliveryId))) === 'completed');
    // Finished: nothing more is owed to the queue for it.
    const owed = await unowned(0, 100);
    expect(owed.map((d) => d.id)).not.toContain(job.deliveryId);
  });

  test('the database failing after Jira made the issue: the run throws (no FAILED), and the next run adopts the issue', async () => {
    const job = await pendingDelivery('EO-DBDOWN');
    const short = () => createPushDeps(h.prisma, h.integrations, { ...h.config, HTTP_TIMEOUT_MS: 500 }, h.logger, { settingsTtlMs: 0, leaseMarginMs: 100 });
    const failing = short();
    failing.deliveries.recordTicket = async () => {
      throw new Error('Connection terminated unexpectedly');
    };
    await expect(pushDelivery(failing, job)).rejects.toThrow('Connection terminated');
    expect((await h.prisma.delivery.findUniqueOrThrow({ where: { id: job.deliveryId } })).status).toBe('IN_PROGRESS');
    await h.eventually(async () => (await unowned(0, 100)).some((d) => d.id === job.deliveryId));
    expect(await pushDelivery(short(), job)).toMatchObject({ kind: 'adopted', ref: { system: 'jira', externalId: issuesOf('EO-DBDOWN')[0]!.key } });
    expect(await outcomeOf('EO-DBDOWN')).toEqual({ status: 'SUCCEEDED', attempts: ['1:UNKNOWN', '2:SUCCEEDED'], refs: 1, history: ['TICKET_ADOPTED'], issues: 1 });
  });

  test('a live lease is left alone by the sweeper', async () => {
    const job = await pendingDelivery('EO-LIVE');
    expect((await new DeliveryLeases(poolOf(h.prisma), 60_000).acquire(job.deliveryId)).kind).toBe('acquired');
    const owed = await unowned(0, 100);
    expect(owed.map((d) => d.id)).not.toContain(job.deliveryId);
  });
});

describe('a failure before any remote call is recorded on the delivery, not looped', () => {
  test.each([
    ['credentials that no longer open with the key', { secrets: Buffer.alloc(60, 7).toString('base64') }, 'SETTINGS_UNREADABLE', 'do not open with SETTINGS_ENCRYPTION_KEY'],
    ['a stored URL the adapter refuses', { config: { baseUrl: 'not a url', deployment: 'cloud', email: JIRA_ACCOUNT.email, projectKey: 'SEC' } }, 'CONFIGURATION', 'baseUrl'],
  ])('%s: FAILED with its reason and a history row; the sweeper leaves it', async (_what, damage, code, reason) => {
    const id = `EO-BROKEN-${code}`;
    const job = await pendingDelivery(id);
    const saved = await h.prisma.integrationSettings.findUniqueOrThrow({ where: { system: 'jira' } });
    await h.prisma.integrationSettings.update({ where: { system: 'jira' }, data: damage });
    try {
      expect(await pushDelivery(deps(), job)).toEqual({ kind: 'permanent', code, message: expect.stringContaining(reason) });
    } finally {
      await h.prisma.integrationSettings.update({ where: { system: 'jira' }, data: { config: saved.config as object, secrets: saved.secrets } });
    }
    const d = await h.prisma.delivery.findUniqueOrThrow({ where: { id: job.deliveryId } });
    expect(d).toMatchObject({ status: 'FAILED', lastErrorCode: code, leaseToken: null });
    expect(d.lastError).toContain(reason);
    const history = await h.prisma.incidentHistory.findMany({ where: { incidentId: id, action: 'TICKET_FAILED' } });
    expect(history).toHaveLength(1);
    expect((await unowned(0, 100)).map((x) => x.id)).not.toContain(job.deliveryId);
    expect(issuesOf(id)).toHaveLength(0);
  });
});

