// Bounded memory: the largest valid incidents, many at once, auto-pushed to a slow Jira, through a real
// worker process launched as production launches it (its heap capped at 128 MB).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { MAX_INCIDENT_BYTES } from '@rhx/domain';
import { enqueueIncident } from '@rhx/producer';
import type { JiraSimulator } from '@rhx/testing';
import { killChildrenAfterEachTest, type Run } from './child-processes.js';
import { auth, readFixture, type Harness } from './harness.js';
import { startJiraHarness, startWorkerProcess } from './jira-harness.js';

killChildrenAfterEachTest();
const INCIDENTS = 60;

let h: Harness;
let jira: JiraSimulator;
let close: () => Promise<void>;
beforeAll(async () => {
  const env = { AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_MIN_SEVERITY: 'LOW', AUTO_PUSH_TARGETS: 'jira', LOG_LEVEL: 'warn' };
  ({ h, jira, close } = await startJiraHarness(env, { latencyMs: 400 }));
});
afterAll(() => close());

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

const startWorker = () => startWorkerProcess(h, { LOG_LEVEL: 'warn' });

async function expectEveryTicketOnce(worker: Run, stem: string) {
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
