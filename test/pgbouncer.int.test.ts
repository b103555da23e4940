import { afterAll, beforeAll, expect, test } from '@jest/globals';
import pg from 'pg';
import { applyMigrations, createPrismaClient, poolOf, preparedStatement } from '@rhx/db';
import { enqueueIncident } from '@rhx/producer';
import { createRedisConnection, type RedisClient } from '@rhx/queue';
import {
  TEST_REDIS_URL, removeTestQueues, startPgBouncer, startPrivatePostgres, uniqueName,
  type JiraSimulator, type PgBouncer, type PrivatePostgres, type ServiceNowSimulator,
} from '@rhx/testing';
import { killChildrenAfterEachTest } from './child-processes.js';
import { expectOneTicketEach, firstTicketAfter, sendThroughOutage, startFailingRemotes, startFleetProcesses } from './failover-fleet.js';
import { readFixture } from './harness.js';

// Issue 17: the fleet behind PgBouncer 1.18 in transaction mode (Debian's), four server connections shared
// by every process's pool, as production runs it. A server connection belongs to a client for one
// transaction only, so anything kept between transactions (a named prepared statement, a session lock)
// breaks; `DATABASE_POOLER=transaction` is what the fleet needs to know. Then PostgreSQL behind the
// pooler restarts for 10 s under load: PgBouncer keeps its address, the fleet carries on.
killChildrenAfterEachTest();

const INCIDENTS = 300;
const OUTAGE_MS = 10_000;
const prefix = uniqueName('rhxb');
let postgres: PrivatePostgres;
let bouncer: PgBouncer;
let remotes: { jira: JiraSimulator; snow: ServiceNowSimulator };
let producer: RedisClient;

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  [bouncer, remotes] = await Promise.all([startPgBouncer(postgres.port, { serverConnections: 4 }), startFailingRemotes(31)]);
  producer = createRedisConnection(TEST_REDIS_URL, 'producer', { enableOfflineQueue: true });
  await producer.connect();
}, 60_000);
afterAll(async () => {
  producer?.disconnect();
  await removeTestQueues(prefix);
  await Promise.all([remotes?.jira.close(), remotes?.snow.close(), bouncer?.stop()]);
  postgres?.remove();
});

test('through PgBouncer in transaction mode the push path\'s prepared statements go unnamed; named, they collide', async () => {
  const probe = preparedStatement('rhx_pooler_probe', 'SELECT $1::int + 1 AS n');
  const runAll = async (transactionPooler: boolean) => {
    const prisma = createPrismaClient(bouncer.url('postgres'), { poolSize: 10, transactionPooler });
    try {
      const runs = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => poolOf(prisma).query<{ n: number }>(probe([i]))));
      return {
        answers: runs.flatMap((r) => (r.status === 'fulfilled' ? [r.value.rows[0]!.n] : [])),
        errors: runs.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])),
      };
    } finally {
      await prisma.$disconnect();
    }
  };
  const unnamed = await runAll(true);
  expect(unnamed.errors).toEqual([]);
  expect(unnamed.answers.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  // The control: the same statements named, as against PostgreSQL itself, fail on shared connections.
  const named = await runAll(false);
  expect(named.errors.length).toBeGreaterThan(0);
  expect(named.errors[0]).toMatch(/prepared statement "rhx_pooler_probe" (already exists|does not exist)/);
});

test('three processes migrating at once through the pooler: each migration applied once, and no lock left on a pooled connection for the next release', async () => {
  const url = bouncer.url('rhythmx_migrated');
  const applied = await Promise.all([applyMigrations(url), applyMigrations(url), applyMigrations(url)]);
  const names = applied.flat();
  expect(names.length).toBeGreaterThan(0);
  expect(new Set(names).size).toBe(names.length);
  // The schema engine's own lock is a session lock it never releases: behind the pooler it would stay on a
  // server connection and make the next release's migration wait until it timed out.
  const direct = new pg.Client({ connectionString: postgres.url });
  await direct.connect();
  try {
    expect((await direct.query(`SELECT objid FROM pg_locks WHERE locktype = 'advisory'`)).rows).toEqual([]);
  } finally {
    await direct.end();
  }
  expect(await applyMigrations(url)).toEqual([]);
}, 120_000);

test(`the fleet behind PgBouncer (transaction mode), PostgreSQL restarted for ${OUTAGE_MS / 1000} s under load: exactly one ticket per system for every accepted incident, no process restarted`, async () => {
  const { api, worker, url, token } = await startFleetProcesses(
    { DATABASE_URL: bouncer.url('rhythmx_bounced'), REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, DATABASE_POOLER: 'transaction' }, remotes,
  );
  const accepted: string[] = [];
  const refusals = new Map<string, number>();
  const send = async (n: number): Promise<void> => {
    const id = `PB-${n}`;
    const incident = { ...readFixture('high-lateral-movement.json'), id };
    if (n % 2 === 1) {
      // The producer library writes to Redis only; the ingest role stores it once the database is back.
      await enqueueIncident(producer, incident, { prefix });
      accepted.push(id);
      return;
    }
    const res = await fetch(`${url}/v1/incidents`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(incident), signal: AbortSignal.timeout(20_000),
    });
    if (res.status === 202) accepted.push(id);
    else refusals.set(id, res.status);
  };

  const { stoppedAt, startedAt } = await sendThroughOutage(postgres, INCIDENTS, OUTAGE_MS, send);

  // While PostgreSQL was away the API refused in the error envelope (503), never anything else.
  expect([...new Set(refusals.values())].filter((s) => s !== 503)).toEqual([]);
  expect(accepted.length + refusals.size).toBe(INCIDENTS);
  await expectOneTicketEach(remotes, 'PB-', accepted, 240_000, async (missing) => {
    const client = new pg.Client({ connectionString: postgres.url.replace(/\/postgres$/, '/rhythmx_bounced') });
    await client.connect();
    const rows = (await client.query('SELECT incident_id, system, status, attempts, last_error_code, last_error FROM deliveries WHERE incident_id = ANY($1)', [missing.slice(0, 5)])).rows;
    await client.end();
    return `rows: ${JSON.stringify(rows)}; worker stderr: ${worker.stderr().slice(-1500)}; PgBouncer: ${bouncer.log().slice(-1500)}`;
  });
  const firstAfter = firstTicketAfter(remotes, startedAt);
  process.stdout.write(`behind PgBouncer: PostgreSQL down ${startedAt - stoppedAt} ms; first ticket after it came back: ${firstAfter - startedAt} ms; ${refusals.size} POSTs answered 503; ${accepted.length} accepted\n`);
  // No statement collided on a shared server connection, and no process restarted.
  expect(api.stdout() + worker.stdout()).not.toMatch(/prepared statement/);
  expect(api.child.exitCode).toBeNull();
  expect(worker.child.exitCode).toBeNull();
  expect(api.stdout() + worker.stdout()).not.toContain('"msg":"shutting down"');
}, 480_000);
