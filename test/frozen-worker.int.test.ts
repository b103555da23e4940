// The review's black-box attack on "exactly one ticket", scaled down: the fleet's worker is frozen
// (SIGSTOP) just after sending a create that Jira is slow to make, a second worker takes the job over
// once BullMQ declares it stalled (while Jira is still making the issue), and the first worker is
// resumed after Jira answered. Before the lease the second worker created a second issue.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { QUEUE_NAMES, jobIds } from '@rhx/queue';
import type { JiraSimulator } from '@rhx/testing';
import { killChildrenAfterEachTest } from './child-processes.js';
import { auth, readFixture, type Harness } from './harness.js';
import { startJiraHarness, startWorkerProcess } from './jira-harness.js';

killChildrenAfterEachTest();
const ID = 'FROZEN-1';

let h: Harness;
let jira: JiraSimulator;
let close: () => Promise<void>;
beforeAll(async () => {
  // The create is held for as long as the takeover takes (a minute or two on a busy machine): the HTTP
  // timeout must outlast it, or the resumed worker's first timer would abort the create it is waiting on.
  ({ h, jira, close } = await startJiraHarness({ AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_TARGETS: 'jira', HTTP_TIMEOUT_MS: '300000' }));
});
afterAll(() => close());

const worker = () => startWorkerProcess(h, { LOG_LEVEL: 'info' });
const creates = () => jira.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/issue'));

test('a worker frozen mid-create, its job taken over while Jira is still making the issue: one Jira issue', async () => {
  let release!: () => void;
  jira.faults.next(1, { holdUntil: new Promise<void>((r) => (release = r)), method: 'POST', path: '/issue' });
  const first = worker();
  await h.eventually(async () => first.stdout().includes('worker started'), 60_000);
  const posted = await h.app.inject({ method: 'POST', url: '/v1/incidents', headers: auth, payload: { ...readFixture('critical-exfiltration.json'), id: ID } });
  expect(posted.statusCode).toBe(202);
  await h.eventually(async () => creates().length === 1, 60_000);
  // The second worker is ready before the first is frozen, so only BullMQ's stall check is waited for.
  const second = worker();
  await h.eventually(async () => second.stdout().includes('worker started'), 60_000);
  process.kill(first.child.pid!, 'SIGSTOP');

  // BullMQ hands the job to the second worker once the frozen one's lock expired (30 to 60 s); Jira is
  // still making the issue, so a look-up would find nothing: the second run must wait, not create.
  await h.eventually(async () => second.stdout().includes('another run is in flight for this delivery'), 200_000)
    .catch(async (err: unknown) => { throw new Error(`${String(err)}; ${await whereTheTakeoverStands(second)}`); });
  release();
  process.kill(first.child.pid!, 'SIGCONT');
  const ref = await h.eventually(async () => h.prisma.ticketRef.findFirst({ where: { incidentId: ID } }), 60_000)
    .catch(async (err: unknown) => { throw new Error(`${String(err)}; ${await whereTheTakeoverStands(first)}`); });

  // The second worker's run waits in the delayed set until the lease ends; run it now.
  const queue = h.queues.get(QUEUE_NAMES.ticketPush);
  const delivery = await h.prisma.delivery.findFirstOrThrow({ where: { incidentId: ID } });
  const job = await queue.getJob(jobIds.ticketPush(delivery.id));
  if ((await job?.getState()) === 'delayed') await job!.promote();
  await h.eventually(async () => (await queue.getJobState(jobIds.ticketPush(delivery.id))) === 'completed', 30_000);

  expect(creates()).toHaveLength(1);
  expect(jira.issues()).toHaveLength(1);
  expect(ref.externalId).toBe(jira.issues()[0]!.key);
  const actions = (await h.prisma.incidentHistory.findMany({ where: { incidentId: ID }, orderBy: { id: 'asc' } })).map((r) => r.action);
  expect(actions.filter((a) => a.startsWith('TICKET_'))).toEqual(['TICKET_CREATED']);
}, 480_000);

// When a step never comes, what CI prints says why: the job's state, what the worker said and the
// sessions of the test's database (a frozen worker holding a lock would show here).
async function whereTheTakeoverStands(worker: { stdout(): string; stderr(): string }): Promise<string> {
  const queue = h.queues.get(QUEUE_NAMES.ticketPush);
  const jobs = await Promise.all((await queue.getJobs(['active', 'wait', 'delayed', 'failed', 'completed', 'prioritized'])).map(async (j) => ({ id: j.id, state: await j.getState(), failedReason: j.failedReason, stalledCounter: j.stalledCounter })));
  const sessions = await h.prisma.$queryRawUnsafe<unknown[]>(`SELECT state, wait_event_type, wait_event, (now() - xact_start)::text AS in_transaction_for, left(query, 200) AS query
    FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
  const connections = await h.prisma.$queryRawUnsafe<unknown[]>(`SELECT count(*)::int AS n, current_setting('max_connections') AS max FROM pg_stat_activity`);
  return JSON.stringify({ jobs, sessions, connections, stdout: worker.stdout().slice(-3000), stderr: worker.stderr().slice(-2000) });
}
