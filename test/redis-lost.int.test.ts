// Fault test 8 of the retry issue: Redis is lost while deliveries are failing and waiting to retry.
// The test runs its own redis-server on a spare port without persistence and restarts it empty; the
// queue forgets every job, PostgreSQL still knows what is owed, and the reconciler (what the
// `delivery-reconcile` schedule runs) puts it back. All complete, none twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { ensureReconcilerScheduled, scheduleReconciler } from '@rhx/push';
import { QUEUE_NAMES, jobIds } from '@rhx/queue';
import type { JiraSimulator } from '@rhx/testing';
import { auth, readFixture, type Harness } from './harness.js';
import { startJiraHarness } from './jira-harness.js';

const N = 10;

/** A port nothing listens on now (the kernel's pick), for a private redis-server. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An empty redis-server on `port` that keeps nothing on disk; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
  });
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

let port: number;
let redis: ChildProcess;
let h: Harness;
let jira: JiraSimulator;
let close: () => Promise<void>;
beforeAll(async () => {
  port = await freePort();
  redis = await startRedis(port);
  ({ h, jira, close } = await startJiraHarness({
    REDIS_URL: `redis://127.0.0.1:${port}`,
    AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_MIN_SEVERITY: 'LOW', AUTO_PUSH_TARGETS: 'jira',
    RETRY_BASE_DELAY_SECONDS: '1', RETRY_MAX_DELAY_SECONDS: '4', RETRY_MAX_ATTEMPTS: '20', HTTP_TIMEOUT_MS: '2000',
  }));
  h.startIngestWorker();
  h.startPushWorker();
  h.startRetryWorker();
}, 60_000);
afterAll(async () => {
  await close();
  await stopRedis(redis);
});

const post = (id: string) => h.app.inject({ method: 'POST', url: '/v1/incidents', headers: auth, payload: { ...readFixture('critical-exfiltration.json'), id } });
const detail = async (deliveryId: string) => (await h.app.inject({ method: 'GET', url: `/v1/deliveries/${deliveryId}`, headers: auth })).json();
const issuesOf = (id: string) => jira.issues().filter((i) => (i.fields.labels as string[]).includes(`rhythmx-${id}`));
const ticketActions = async (id: string) =>
  (await h.app.inject({ method: 'GET', url: `/v1/incidents/${id}/history?limit=200`, headers: auth })).json().items
    .map((r: { action: string }) => r.action).filter((a: string) => a === 'TICKET_CREATED' || a === 'TICKET_ADOPTED');

test(`Redis restarted empty while ${N} deliveries wait to retry: the reconciler re-enqueues them, every one gets exactly one ticket`, async () => {
  // Every create fails until the test says otherwise.
  jira.faults.next(1_000_000, { status: 503, method: 'POST', path: '/issue' });
  const ids = Array.from({ length: N }, (_, i) => `RL-${i}`);
  for (const id of ids) expect((await post(id)).statusCode).toBe(202);
  const where = { incidentId: { in: ids } };
  // Failing and waiting to retry: each failed at least twice (its retry job has run) and waits again.
  await h.eventually(async () => (await h.prisma.delivery.count({ where: { ...where, status: 'RETRY_WAIT', attempts: { gte: 2 } } })) === N, 60_000);
  const deliveries = await h.prisma.delivery.findMany({ where });
  const retryQueue = h.queues.get(QUEUE_NAMES.ticketRetry);
  const retryStates = async () => Promise.all(deliveries.map((d) => retryQueue.getJobState(jobIds.ticketRetry(d.id))));
  expect((await retryStates()).filter((s) => s === 'unknown')).toEqual([]);
  // As a retry worker process registers it at start (the in-process harness does not).
  await scheduleReconciler(h.queues);
  expect(await retryQueue.getJobScheduler('delivery-reconciler')).toBeTruthy();

  await stopRedis(redis);
  redis = await startRedis(port);
  // The harness's producer connection fails fast while Redis is away; it answers again once reconnected.
  const states = await h.eventually(() => retryStates().catch(() => undefined), 30_000);
  // Redis forgot every retry job: without the reconciler nothing would run these deliveries again.
  expect(states).toEqual(Array(N).fill('unknown'));
  // So did the reconciler's schedule; the retry workers' periodic check registers it again, once.
  expect(await retryQueue.getJobScheduler('delivery-reconciler')).toBeFalsy();
  expect(await ensureReconcilerScheduled(h.queues)).toBe(true);
  expect(await ensureReconcilerScheduled(h.queues)).toBe(false);
  jira.faults.clear();

  // What the delivery-reconcile schedule does every two minutes, here as often as the test polls.
  let revived = 0;
  await h.eventually(async () => {
    revived += await h.sweeper(0).sweepOnce();
    return (await h.prisma.delivery.count({ where: { ...where, status: 'SUCCEEDED' } })) === N;
  }, 60_000);
  expect(revived).toBeGreaterThanOrEqual(N);

  for (const d of deliveries) {
    const now = await detail(d.id);
    const outcomes = now.attempts.map((a: { outcome: string }) => a.outcome);
    expect(outcomes.length).toBeGreaterThanOrEqual(3);
    // Failed (503, answered before any create: nothing made) until the last, which made the ticket; none after it.
    expect(outcomes.slice(0, -1)).toEqual(Array(outcomes.length - 1).fill('FAILED'));
    expect(outcomes.at(-1)).toBe('SUCCEEDED');
    expect(issuesOf(d.incidentId)).toHaveLength(1);
    expect(await ticketActions(d.incidentId)).toEqual(['TICKET_CREATED']);
  }
  const created = jira.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/issue') && r.status === 201);
  expect(created).toHaveLength(N);

  // The in-process workers reconnected: an incident posted now is ingested and pushed with no reconciler.
  expect((await post('RL-AFTER')).statusCode).toBe(202);
  // The issue exists a moment before its reference is committed: wait for the delivery's record too.
  await h.eventually(async () => (await h.prisma.delivery.findFirst({ where: { incidentId: 'RL-AFTER', status: 'SUCCEEDED' } })) !== null, 30_000);
  expect(issuesOf('RL-AFTER')).toHaveLength(1);
}, 180_000);
