import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createPrismaClient, dropDatabase, PRISMA_DIR } from '@rhx/db';
import { enqueueIncident } from '@rhx/producer';
import { Queues } from '@rhx/queue';
import { TEST_REDIS_URL, TEST_SERVER_URL, createTestDatabase, uniqueName } from '@rhx/testing';
import { groupAlive, killChildrenAfterEachTest, killEveryChild, run, waitFor } from './child-processes.js';
import { readFixture } from './harness.js';

killChildrenAfterEachTest();

describe('no test depends on a developer\'s .env', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rhx-dotenv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a process started by a test ignores the .env of its working directory', async () => {
    writeFileSync(join(dir, '.env'), 'RETRY_MAX_ATTEMPTS=zero\nDATABASE_URL=postgresql://postgres@127.0.0.1:5499/nowhere\n');
    const db = await createTestDatabase();
    const r = run('scripts/db-migrate.ts', [], { NODE_ENV: 'test', DATABASE_URL: db.url }, { cwd: dir });
    const { code } = await r.exited;
    expect(r.stderr()).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(r.stdout().trim())).toEqual({ applied: [] });
    await db.drop();
  });

  test('the process groups a test started are gone after it, even when the test fails', async () => {
    const parent = run('test/fixtures/spawns-a-sleeper.ts', [], {});
    await waitFor(() => /sleeper \d+/.test(parent.stdout()), 10_000, 'the grandchild');
    const grandchild = Number(/sleeper (\d+)/.exec(parent.stdout())![1]);
    expect(groupAlive(parent.child.pid!)).toBe(true);
    killEveryChild(); // what afterEach does after a failed or timed-out test
    await parent.exited;
    await waitFor(() => !groupAlive(parent.child.pid!), 5000, 'the group to die');
    expect(() => process.kill(grandchild, 0)).toThrow();
  });
});

describe('start-up refusals', () => {
  test('bad configuration lists every problem, each naming its variable, and exits non-zero', async () => {
    const r = run('apps/worker/src/main.ts', [], {
      NODE_ENV: 'production',
      RETRY_MAX_ATTEMPTS: 'zero',
      REDIS_URL: 'not a url',
      TICKET_INTEGRATION: 'proactive',
      PROACTIVE_SNOW_VERIFY_SSL: 'false',
    });
    const { code } = await r.exited;
    expect(code).not.toBe(0);
    for (const variable of ['RETRY_MAX_ATTEMPTS', 'REDIS_URL', 'PROACTIVE_SNOW_SERVICE_IDENTIFIER', 'PROACTIVE_SNOW_VERIFY_SSL', 'SETTINGS_ENCRYPTION_KEY']) {
      expect(r.stderr()).toContain(variable);
    }
    expect(r.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('an unknown worker role is refused', async () => {
    const r = run('apps/worker/src/main.ts', ['--role', 'push,mail'], { NODE_ENV: 'test' });
    expect((await r.exited).code).toBe(2);
    expect(r.stderr()).toContain('unknown role "mail"');
  });

  test.each([
    ['Redis', { REDIS_URL: 'redis://127.0.0.1:6399' }, 'redis://127.0.0.1:6399'],
    ['PostgreSQL', { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5499/rhythmx' }, 'postgresql://postgres@127.0.0.1:5499/rhythmx'],
  ])('a dead %s: one line naming the URL and docker compose, non-zero, within 10 s', async (_name, env, url) => {
    for (const script of ['apps/worker/src/main.ts', 'apps/api/src/main.ts']) {
      const r = run(script, [], { NODE_ENV: 'test', ...env });
      const { code, ms } = await r.exited;
      expect(code).not.toBe(0);
      expect(ms).toBeLessThan(10_000);
      const lines = r.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(url);
      expect(lines[0]).toContain('docker compose up -d');
    }
  });

  test('the API refuses to start in production without API_TOKEN', async () => {
    const db = await createTestDatabase();
    const r = run('apps/api/src/main.ts', [], {
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      SETTINGS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      API_PORT: '0',
    });
    expect((await r.exited).code).toBe(1);
    expect(r.stderr()).toContain('neither API_TOKEN nor API_TOKENS is set');
    await db.drop();
  });
});

test('three processes migrating one fresh database at once apply each migration exactly once', async () => {
  const url = `${TEST_SERVER_URL}/${uniqueName('rhx_mig')}`;
  const runs = [1, 2, 3].map(() => run('scripts/db-migrate.ts', [], { NODE_ENV: 'test', DATABASE_URL: url }));
  const results = await Promise.all(runs.map((r) => r.exited));
  expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
  const migrations = readdirSync(`${PRISMA_DIR}/migrations`, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const applied = runs.flatMap((r) => (JSON.parse(r.stdout().trim()) as { applied: string[] }).applied);
  expect(applied.sort()).toEqual(migrations.sort());
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows = await client.query('SELECT migration_name, finished_at FROM _prisma_migrations');
  await client.end();
  expect(rows.rows.map((r: { migration_name: string }) => r.migration_name).sort()).toEqual(migrations.sort());
  expect(rows.rows.every((r: { finished_at: Date | null }) => r.finished_at !== null)).toBe(true);
  await dropDatabase(url);
}, 60_000);

describe('worker processes', () => {
  let db: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  let redis: Redis;
  let queues: Queues;
  beforeAll(async () => {
    db = await createTestDatabase();
    env = { NODE_ENV: 'test', DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniqueName('rhxp'), LOG_LEVEL: 'info' };
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = new Queues(redis, env.QUEUE_PREFIX as string);
  });
  afterAll(async () => {
    await Promise.all(queues.all().map((q) => q.obliterate({ force: true })));
    await queues.close();
    redis.disconnect();
    await db.drop();
  });

  const startWorker = async (roles = 'push') => {
    const r = run('apps/worker/src/main.ts', ['--role', roles], env);
    await waitFor(() => r.stdout().includes('worker started'), 60_000, 'worker start');
    return r;
  };

  test('two worker processes on one queue ingest 1,000 incidents: none lost, none twice (one push, one --role ingest)', async () => {
    // `push` ingests too (deployments started with it keep working); `ingest` runs the ingest consumer alone.
    const [a, b] = await Promise.all([startWorker('push'), startWorker('ingest')]);
    const base = readFixture('high-lateral-movement.json');
    for (let i = 0; i < 1000; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, k) => enqueueIncident(redis, { ...base, id: `BULK-${i + k}` }, { prefix: env.QUEUE_PREFIX })),
      );
    }
    const prisma = createPrismaClient(db.url, 2);
    await waitFor(async () => (await prisma.incident.count({ where: { ingestedAt: { not: null } } })) >= 1000, 60_000, '1,000 ingested');
    expect(await prisma.incident.count()).toBe(1000);
    const created = await prisma.incidentHistory.groupBy({ by: ['incidentId'], where: { action: 'CREATED' }, _count: true });
    expect(created).toHaveLength(1000);
    expect(created.every((g) => g._count === 1)).toBe(true);
    const perProcess = [a, b].map((r) => (r!.stdout().match(/"msg":"incident ingested"/g) ?? []).length);
    expect(perProcess[0]! + perProcess[1]!).toBe(1000);
    expect(Math.min(...perProcess)).toBeGreaterThan(0); // both processes took work
    await prisma.$disconnect();
    for (const r of [a, b]) r!.child.kill('SIGTERM');
    await Promise.all([a, b].map((r) => r!.exited));
  }, 120_000);

  test('SIGTERM: stops taking jobs, finishes those in flight, exits 0 within 10 s', async () => {
    const worker = await startWorker();
    const base = readFixture('critical-exfiltration.json');
    await Promise.all(
      Array.from({ length: 300 }, (_, k) => enqueueIncident(redis, { ...base, id: `TERM-${k}` }, { prefix: env.QUEUE_PREFIX })),
    );
    await waitFor(() => worker.stdout().includes('incident ingested'), 20_000, 'first ingest');
    const signalledAt = Date.now();
    worker.child.kill('SIGTERM');
    const { code } = await worker.exited;
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(code).toBe(0);
    expect(worker.stdout()).toContain('worker stopped');
    const q = queues.get('incident-events');
    expect(await q.getActiveCount()).toBe(0); // nothing left half-done
    const prisma = createPrismaClient(db.url, 2);
    const ingested = await prisma.incident.count({ where: { id: { startsWith: 'TERM-' } } });
    const completed = (await q.getJobs(['completed'], 0, -1)).filter((j) => j.data.incidentId.startsWith('TERM-')).length;
    expect(ingested).toBe(completed); // every job it took was finished, not abandoned
    expect(await q.getWaitingCount()).toBe(300 - ingested);
    await prisma.$disconnect();
  }, 60_000);
});
