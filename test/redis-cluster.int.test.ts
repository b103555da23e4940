import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Cluster } from 'ioredis';
import { enqueueIncident } from '@rhx/producer';
import { createRedisConnection, keyLayout, ALL_QUEUE_NAMES, QUEUE_NAMES, type RedisClient } from '@rhx/queue';
import { createTestDatabase, startRedisCluster, type JiraSimulator, type RedisClusterSet, type ServiceNowSimulator } from '@rhx/testing';
import { killChildrenAfterEachTest } from './child-processes.js';
import { expectOneTicketEach, startFailingRemotes, startFleetProcesses } from './failover-fleet.js';
import { readFixture } from './harness.js';

// Issue 17: a Redis Cluster of the test's own (three primaries, a replica each) loses the primary that
// serves the incident-events queue to SIGKILL while incidents arrive through the API and the producer
// library and tickets are made against remotes that fail 10 % of creates. Its replica is promoted; the
// fleet follows the new slot map without a restart, and every accepted incident gets exactly one ticket
// per system. The queues live on more than one node.
killChildrenAfterEachTest();

const INCIDENTS = 300;
// Fixed, not unique: the cluster is the test's own, and with this prefix the queues' hash tags fall on
// all three primaries (asserted below).
const prefix = 'rhxc';
let redis: RedisClusterSet;
let db: { url: string; drop: () => Promise<void> };
let remotes: { jira: JiraSimulator; snow: ServiceNowSimulator };
let producer: RedisClient;

beforeAll(async () => {
  [redis, db, remotes] = await Promise.all([startRedisCluster(), createTestDatabase(), startFailingRemotes(23)]);
  producer = createRedisConnection(redis.url, 'producer', { enableOfflineQueue: true });
  producer.on('error', () => {});
  await producer.connect();
}, 60_000);
afterAll(async () => {
  producer?.disconnect();
  await Promise.all([remotes?.jira.close(), remotes?.snow.close(), db?.drop(), redis?.close()]);
});

test('the queues spread over the cluster: each has a hash tag of its own, served by more than one primary', async () => {
  const layout = keyLayout(prefix, true);
  const owners = await Promise.all(ALL_QUEUE_NAMES.map((q) => redis.primaryOf(layout.queue(q))));
  expect(new Set(owners).size).toBeGreaterThan(1);
});

test('a Redis Cluster primary killed under load: its replica is promoted, the fleet follows without a restart, exactly one ticket per system for every accepted incident', async () => {
  const { api, worker, url, token } = await startFleetProcesses({ DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix }, remotes);
  const accepted: string[] = [];
  const refusals: string[] = [];
  const send = async (n: number): Promise<void> => {
    const id = `CL-${n}`;
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
    failover = await redis.killPrimaryOf(keyLayout(prefix, true).queue(QUEUE_NAMES.incidentEvents));
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
  await expectOneTicketEach(remotes, 'CL-', accepted, 300_000, () => `worker: ${worker.stderr().slice(-1500)}`);
  process.stdout.write(`Redis Cluster primary of incident-events killed; its replica promoted in ${failover!.tookMs} ms; all ${accepted.length} accepted incidents ticketed ${Date.now() - loadEnded} ms after the load ended\n`);
  expect(api.child.exitCode).toBeNull();
  expect(worker.child.exitCode).toBeNull();

  // Every key the fleet wrote carries a hash tag of the layout: none is left where a multi-key script
  // would cross slots.
  const keys = (await Promise.all((producer as Cluster).nodes('master').map((node) => node.keys('*')))).flat();
  expect(keys.filter((k) => k.startsWith(`{${prefix}:ticket-push}:ticket-push:`)).length).toBeGreaterThan(0);
  expect(keys.filter((k) => k.includes(prefix) && !/^\{rhxc:(incident-events|ticket-push|ticket-retry|ticket-sync|throttle|sign-in|console|sync|oauth-token)\}:/.test(k))).toEqual([]);
}, 600_000);
