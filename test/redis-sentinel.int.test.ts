import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Redis } from 'ioredis';
import { enqueueIncident } from '@rhx/producer';
import { createRedisConnection } from '@rhx/queue';
import {
  createTestDatabase, startJiraSimulator, startRedisSentinelSet, startServiceNowSimulator, uniqueName,
  type JiraSimulator, type RedisSentinelSet, type ServiceNowSimulator,
} from '@rhx/testing';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { killChildrenAfterEachTest, run, waitFor } from './child-processes.js';
import { readFixture } from './harness.js';

// Issue 17: Redis behind Sentinels (a primary, a replica, three Sentinels of the test's own) loses its
// primary to SIGKILL while incidents arrive through the API and the producer library and tickets are
// made against remotes that fail 10 % of creates. The replica is promoted; the fleet follows it without a
// restart, and every accepted incident gets exactly one ticket per system.
killChildrenAfterEachTest();

const INCIDENTS = 300;
const prefix = uniqueName('rhxs');
const token = randomBytes(16).toString('hex');
const JIRA = { email: 'bot@acme.example', apiToken: 'sentinel-jira-token' };
const SNOW = { username: 'rhx.bot', password: 'sentinel-snow-pw' };
let redis: RedisSentinelSet;
let db: { url: string; drop: () => Promise<void> };
let jira: JiraSimulator;
let snow: ServiceNowSimulator;
let producer: Redis;

beforeAll(async () => {
  [redis, db] = await Promise.all([startRedisSentinelSet(), createTestDatabase()]);
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], ...JIRA });
  snow = await startServiceNowSimulator({ ...SNOW, groups: {} });
  for (const [sim, path] of [[jira, '/issue'], [snow, '/table/incident']] as const) {
    sim.faults.randomly(0.1, { method: 'POST', path, status: 503, body: { error: 'transient' } }, 23);
  }
  producer = createRedisConnection(redis.url, 'producer', { enableOfflineQueue: true });
  producer.on('error', () => {});
  await producer.connect();
}, 60_000);
afterAll(async () => {
  producer?.disconnect();
  await Promise.all([jira?.close(), snow?.close(), db?.drop(), redis?.close()]);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const incidentIdsIn = {
  jira: () => jira.issues().flatMap((i) => (i.fields.labels as string[]).filter((l) => l.startsWith('rhythmx-SN-')).map((l) => l.slice('rhythmx-'.length))),
  servicenow: () => snow.incidents().map((i) => String(i.correlation_id).replace(/^rhythmx:/, '')).filter((id) => id.startsWith('SN-')),
};

test('the Redis primary killed under load: the replica is promoted, the fleet follows without a restart, exactly one ticket per system for every accepted incident', async () => {
  const port = await freePort();
  const env = {
    NODE_ENV: 'test', DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, API_PORT: String(port), API_TOKEN: token,
    SETTINGS_ENCRYPTION_KEY: randomBytes(32).toString('base64'), INTEGRATION_ALLOWED_HOSTS: '127.0.0.1', LOG_LEVEL: 'info',
    JIRA_ENABLED: 'true', JIRA_URL: jira.url, JIRA_EMAIL: JIRA.email, JIRA_API_TOKEN: JIRA.apiToken, JIRA_PROJECT_KEY: 'SEC',
    SNOW_ENABLED: 'true', SNOW_INSTANCE: snow.url, SNOW_USERNAME: SNOW.username, SNOW_PASSWORD: SNOW.password,
    AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_TARGETS: 'jira,servicenow', AUTO_PUSH_MIN_SEVERITY: 'LOW',
    RETRY_BASE_DELAY_SECONDS: '1', RETRY_MAX_DELAY_SECONDS: '2', UNKNOWN_OUTCOME_SETTLE_SECONDS: '0', HTTP_TIMEOUT_MS: '5000',
  };
  const api = run('apps/api/src/main.ts', [], env);
  await waitFor(async () => api.stdout().includes('api listening'), 60_000, 'the API');
  const worker = run('apps/worker/src/main.ts', ['--role', 'push,retry'], { ...env, ...WORKER_ENV }, { nodeFlags: WORKER_NODE_FLAGS });
  await waitFor(async () => worker.stdout().includes('worker started'), 60_000, 'the worker');

  const accepted: string[] = [];
  const refused: string[] = [];
  const why = new Map<string, number>();
  const note = (reason: string) => why.set(reason, (why.get(reason) ?? 0) + 1);
  const send = async (n: number): Promise<void> => {
    const id = `SN-${n}`;
    const incident = { ...readFixture('high-lateral-movement.json'), id };
    if (n % 2 === 1) {
      // The producer library: accepted when the enqueue resolves (it waits out the failover, a replica confirming).
      const t0 = Date.now();
      await enqueueIncident(producer, incident, { prefix }).then(() => accepted.push(id), (err: unknown) => {
        refused.push(id);
        note(`producer after ${Math.round((Date.now() - t0) / 1000)} s: ${String(err).slice(0, 120)}`);
      });
      return;
    }
    const res = await fetch(`http://127.0.0.1:${port}/v1/incidents`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(incident), signal: AbortSignal.timeout(20_000),
    });
    (res.status === 202 ? accepted : refused).push(id);
    if (res.status !== 202) note(`API ${res.status}: ${(await res.text()).slice(0, 160)}`);
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
  if (accepted.length <= INCIDENTS * 0.8) throw new Error(`only ${accepted.length} accepted; failover ${JSON.stringify(failover)}; refusals: ${JSON.stringify([...why])}; api: ${api.stdout().split('\n').filter((l) => l.includes('"level":"warn"') || l.includes('"level":"error"')).slice(-8).join('\n')}`);

  // The simulators answer from this process: read their stores once per check (each read copies every ticket).
  const missingNow = () => {
    const [inJira, inSnow] = [new Set(incidentIdsIn.jira()), new Set(incidentIdsIn.servicenow())];
    return accepted.filter((id) => !inJira.has(id) || !inSnow.has(id));
  };
  const promotedAt = Date.now();
  await waitFor(async () => (await new Promise((r) => setTimeout(r, 400)), missingNow().length === 0), 300_000, 'every accepted incident ticketed in both systems')
    .catch((err: unknown) => {
      const missing = missingNow();
      throw new Error(`${String(err)}: ${missing.length} missing (${missing.slice(0, 10).join(', ')}); worker: ${worker.stderr().slice(-1500)}`);
    });
  for (const system of ['jira', 'servicenow'] as const) {
    const ids = incidentIdsIn[system]();
    expect(ids.length).toBe(new Set(ids).size);
  }
  process.stdout.write(`Redis primary killed; Sentinels promoted the replica in ${failover!.tookMs} ms; all ${accepted.length} accepted incidents ticketed ${Date.now() - promotedAt} ms after the load ended; ${refused.length} refused\n`);
  expect(api.child.exitCode).toBeNull();
  expect(worker.child.exitCode).toBeNull();
}, 600_000);
