import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { enqueueIncident } from '@rhx/producer';
import { createRedisConnection, type RedisClient } from '@rhx/queue';
import { createTestDatabase, startRedisSentinelSet, uniqueName, type JiraSimulator, type RedisSentinelSet, type ServiceNowSimulator } from '@rhx/testing';
import { killChildrenAfterEachTest } from './child-processes.js';
import { expectOneTicketEach, startFailingRemotes, startFleetProcesses } from './failover-fleet.js';
import { readFixture } from './harness.js';

// Issue 17: Redis behind Sentinels (a primary, a replica, three Sentinels of the test's own) loses its
// primary to SIGKILL while incidents arrive through the API and the producer library and tickets are
// made against remotes that fail 10 % of creates. The replica is promoted; the fleet follows it without a
// restart, and every accepted incident gets exactly one ticket per system.
killChildrenAfterEachTest();

const INCIDENTS = 300;
const prefix = uniqueName('rhxs');
let redis: RedisSentinelSet;
let db: { url: string; drop: () => Promise<void> };
let remotes: { jira: JiraSimulator; snow: ServiceNowSimulator };
let producer: RedisClient;

beforeAll(async () => {
  [redis, db, remotes] = await Promise.all([startRedisSentinelSet(), createTestDatabase(), startFailingRemotes(23)]);
  producer = createRedisConnection(redis.url, 'producer', { enableOfflineQueue: true });
  producer.on('error', () => {});
  await producer.connect();
}, 60_000);
afterAll(async () => {
  producer?.disconnect();
  await Promise.all([remotes?.jira.close(), remotes?.snow.close(), db?.drop(), redis?.close()]);
});

test('the Redis primary killed under load: the replica is promoted, the fleet follows without a restart, exactly one ticket per system for every accepted incident', async () => {
  const { api, worker, url, token } = await startFleetProcesses({ DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix }, remotes);
  const accepted: string[] = [];
  const refusals: string[] = [];
  const send = async (n: number): Promise<void> => {
    const id = `SN-${n}`;
    const incident = { ...readFixture('high-lateral-movement.json'), id };
    if (n % 2 === 1) {
      // The producer library: accepted when the enqueue resolves (it waits out the failover, a replica confirming).
      await enqueueIncident(producer, incident, { prefix }).then(() => accepted.push(id), (err: unknown) => refusals.push(`${id} (producer): ${String(err)}`));
      return;
    }
    const res = await fetch(`${url}/v1/incidents`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(incident), signal: AbortSignal.timeout(20_000),
    });
    if (res.status === 202) accepted.push(id);
    else refusals.push(`${id} (API ${res.status}): ${(await res.text()).slice(0, 160)}`);
  };

  let failover: { killed: number; promoted: number; tookMs: number } | undefined;
  const kill = (async () => {
    await new Promise((r) => setTimeout(r, 5000));
    failover = await redis.killPrimary();
  })();
  const sends: Promise<void>[] = [];
  for (let n = 0; n < INCIDENTS; n++) {
    sends.push(send(n));
    await new Promise((r) => setTimeout(r, 1000 / 15));
  }
  await Promise.all([kill, ...sends]);
  expect(failover!.promoted).not.toBe(failover!.killed);
  // Both ways in wait out a failover of a few seconds: nothing is refused.
  expect(refusals).toEqual([]);

  const loadEnded = Date.now();
  await expectOneTicketEach(remotes, 'SN-', accepted, 300_000, () => `worker: ${worker.stderr().slice(-1500)}`);
  process.stdout.write(`Redis primary killed; Sentinels promoted the replica in ${failover!.tookMs} ms; all ${accepted.length} accepted incidents ticketed ${Date.now() - loadEnded} ms after the load ended\n`);
  expect(api.child.exitCode).toBeNull();
  expect(worker.child.exitCode).toBeNull();
}, 600_000);
