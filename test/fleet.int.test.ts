import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import pg from 'pg';
import { Queues } from '@rhx/queue';
import { TEST_REDIS_URL, createTestDatabase, freePort, removeTestQueues, uniqueName } from '@rhx/testing';
import { groupAlive, killChildrenAfterEachTest, run, waitFor, type Run } from './child-processes.js';
import { readFixture } from './harness.js';

// `npm start` as a user runs it: the real fleet (API + worker as child processes) on its own port,
// database and BullMQ prefix.
killChildrenAfterEachTest();

let db: { url: string; drop: () => Promise<void> };
const prefix = uniqueName('rhxf');
const token = randomBytes(16).toString('hex');
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => {
  await removeTestQueues(prefix);
  await db.drop();
});

type Line = Record<string, unknown>;
const fleetLines = (r: Run, msg: string): Line[] =>
  r.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line).filter((l) => l.name === 'fleet' && l.msg === msg);
const workerPids = (r: Run) => fleetLines(r, 'child started').filter((l) => l.child === 'worker').map((l) => l.pid as number);
const count = (text: string, needle: string) => text.split(needle).length - 1;

async function healthz(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) })).status;
  } catch {
    return 0;
  }
}

test('a killed worker is restarted while the API keeps answering; SIGTERM stops everything', async () => {
  const port = await freePort();
  const env = { NODE_ENV: 'test', DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, API_PORT: String(port), API_TOKEN: token, LOG_LEVEL: 'info' };
  const fleet = run('scripts/fleet.ts', [], env);
  await waitFor(async () => (await healthz(port)) === 200 && fleet.stdout().includes('"msg":"worker started"'), 60_000, 'the fleet to start');
  const [firstWorker] = workerPids(fleet);
  const apiPid = fleetLines(fleet, 'child started').find((l) => l.child === 'api')!.pid as number;

  process.kill(firstWorker!, 'SIGKILL');
  const answers: number[] = [];
  await waitFor(async () => {
    answers.push(await healthz(port));
    return count(fleet.stdout(), '"msg":"worker started"') === 2;
  }, 60_000, 'a new worker');
  expect(answers.every((status) => status === 200)).toBe(true);
  expect(fleetLines(fleet, 'child exited; restarting')).toEqual([
    expect.objectContaining({ child: 'worker', pid: firstWorker, code: null, signal: 'SIGKILL', restartInMs: 1000 }),
  ]);
  const secondWorker = workerPids(fleet)[1]!;
  expect(secondWorker).not.toBe(firstWorker);

  const incident = { ...readFixture('low-minimal.json'), id: 'FLEET-1' };
  const posted = await fetch(`http://127.0.0.1:${port}/v1/incidents`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(incident),
  });
  expect(posted.status).toBe(202);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const ingested = async () => (await client.query("SELECT 1 FROM incidents WHERE id = 'FLEET-1' AND ingested_at IS NOT NULL")).rowCount === 1;
  await waitFor(ingested, 20_000, 'the new worker to ingest');
  await client.end();

  fleet.child.kill('SIGTERM');
  expect(await fleet.exited).toMatchObject({ code: 0 });
  await waitFor(() => !groupAlive(fleet.child.pid!), 5000, 'the fleet process group to be gone');
  for (const pid of [apiPid, secondWorker]) expect(() => process.kill(pid, 0)).toThrow();
  expect(fleetLines(fleet, 'child exited; restarting')).toHaveLength(1); // nothing restarted while stopping
}, 120_000);

test('a child that fails at its first start stops the fleet with its message, not a restart loop', async () => {
  const fleet = run('scripts/fleet.ts', [], { NODE_ENV: 'test', DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, API_PORT: '0', RETRY_MAX_ATTEMPTS: 'zero' });
  const { code } = await fleet.exited;
  expect(code).toBe(1);
  expect(fleet.stderr()).toContain('RETRY_MAX_ATTEMPTS');
  expect(fleetLines(fleet, 'child failed at start; stopping the fleet (its message is above)').length).toBeGreaterThan(0);
  expect(fleetLines(fleet, 'child exited; restarting')).toEqual([]);
  await waitFor(() => !groupAlive(fleet.child.pid!), 5000, 'the fleet process group to be gone');
}, 60_000);
