// Bounded memory: the largest valid incidents, many at once, auto-pushed to a slow Jira, through a real
// worker process launched as production launches it (its heap capped at 128 MB).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { MAX_INCIDENT_BYTES } from '@rhx/domain';
import { enqueueIncident } from '@rhx/producer';
import { startJiraSimulator, type JiraSimulator } from '@rhx/testing';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { killChildrenAfterEachTest, run } from './child-processes.js';
import { auth, readFixture, startHarness, type Harness } from './harness.js';

killChildrenAfterEachTest();
const JIRA = { email: 'bot@acme.example', apiToken: 'jira-token-memory-1' };
const INCIDENTS = 60;

let h: Harness;
let jira: JiraSimulator;
beforeAll(async () => {
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], ...JIRA, latencyMs: 400 });
  h = await startHarness({
    JIRA_ENABLED: 'true', JIRA_URL: jira.url, JIRA_EMAIL: JIRA.email, JIRA_API_TOKEN: JIRA.apiToken, JIRA_PROJECT_KEY: 'SEC',
    AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_MIN_SEVERITY: 'LOW', AUTO_PUSH_TARGETS: 'jira', LOG_LEVEL: 'warn',
  });
});
afterAll(async () => {
  await h.close();
  await jira.close();
});

/**
 * A valid incident just under the 2 MB limit, made of as many small objects as the limits allow (what
 * costs a worker the most heap per byte): every list at or near its cap.
 */
function largestIncident(id: string): Record<string, unknown> {
  const base = readFixture('critical-credential-access.json');
  const n = (i: number) => String(i).padStart(5, '0');
  const at = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
  const incident = {
    ...base,
    id,
    rules: Array.from({ length: 1000 }, (_, i) => ({
      name: `Rule ${n(i)} unusual logon`, severity: 'high', count: i + 1, firstSeenAt: at(i), lastSeenAt: at(i + 1), sigmaId: `sigma-${n(i)}`,
      sampleEvent: { time: at(i), host: `host-${n(i)}.corp.example`, user: `user${n(i)}`, eventId: '4625', detail: `failed logon ${n(i)} from 10.0.${i % 250}.${i % 200}` },
    })),
    siemAlarms: Array.from({ length: 10_000 }, (_, i) => ({ id: `ALM-${n(i)}`, date: at(i), rbp: i % 101, entity: `host-${n(i)}` })),
    blastRadius: {
      hosts: Array.from({ length: 10_000 }, (_, i) => `host-${n(i)}.corp.example`),
      users: Array.from({ length: 10_000 }, (_, i) => `user${n(i)}@corp.example`),
    },
    notes: 'n'.repeat(100_000),
  };
  const bytes = Buffer.byteLength(JSON.stringify(incident));
  expect(bytes).toBeGreaterThan(MAX_INCIDENT_BYTES * 0.85);
  expect(bytes).toBeLessThan(MAX_INCIDENT_BYTES);
  return incident;
}

function startWorker() {
  const c = h.config;
  return run('apps/worker/src/main.ts', ['--role', 'push'], {
    ...WORKER_ENV, NODE_ENV: 'test', DATABASE_URL: c.DATABASE_URL, REDIS_URL: c.REDIS_URL, QUEUE_PREFIX: c.QUEUE_PREFIX,
    SETTINGS_ENCRYPTION_KEY: c.SETTINGS_ENCRYPTION_KEY!, INTEGRATION_ALLOWED_HOSTS: '127.0.0.1', LOG_LEVEL: 'warn',
  }, { nodeFlags: WORKER_NODE_FLAGS });
}

async function expectEveryTicketOnce(worker: ReturnType<typeof run>, stem: string) {
  await h.eventually(async () => {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) throw new Error(`the worker died: ${worker.stderr().slice(-2000)}`);
    return (await h.prisma.ticketRef.count({ where: { incidentId: { startsWith: stem } } })) === INCIDENTS;
  }, 150_000);
  expect(worker.stderr()).not.toContain('heap out of memory');
  expect(jira.issues().filter((i) => (i.fields.labels as string[]).some((l) => l.startsWith(`rhythmx-${stem}`)))).toHaveLength(INCIDENTS);
  expect(await h.prisma.delivery.count({ where: { status: 'SUCCEEDED', incidentId: { startsWith: stem } } })).toBe(INCIDENTS);
}

test(`${INCIDENTS} incidents near 2 MB through the API with auto-push to a slow Jira: no crash, every ticket made once and referenced`, async () => {
  const worker = startWorker();
  const answers = await Promise.all(
    Array.from({ length: INCIDENTS }, (_, i) => h.app.inject({ method: 'POST', url: '/v1/incidents', headers: auth, payload: largestIncident(`MEMA-${i}`) })),
  );
  expect(answers.map((a) => a.statusCode)).toEqual(Array(INCIDENTS).fill(202));
  await expectEveryTicketOnce(worker, 'MEMA-');
}, 180_000);

test('the same through the producer library: the incidents wait beside their jobs and are gone from Redis once stored', async () => {
  await Promise.all(Array.from({ length: INCIDENTS }, (_, i) => enqueueIncident(h.redis, largestIncident(`MEMP-${i}`), { prefix: h.config.QUEUE_PREFIX })));
  expect(await h.redis.keys(`${h.config.QUEUE_PREFIX}:incident-payload:MEMP-*`)).toHaveLength(INCIDENTS);
  const worker = startWorker();
  await expectEveryTicketOnce(worker, 'MEMP-');
  expect(await h.redis.keys(`${h.config.QUEUE_PREFIX}:incident-payload:*`)).toEqual([]);
}, 180_000);
