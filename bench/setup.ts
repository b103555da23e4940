// Per-phase resources: a fresh database, a fresh BullMQ prefix, the real API / worker processes on them,
// and the clean-up of all of it (children stopped, queues obliterated, database dropped).
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { API_NODE_FLAGS } from '../apps/api/src/node-flags.js';
import http from 'node:http';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { dropDatabase } from '@rhx/db';
import { enqueueIncident } from '@rhx/producer';
import { QUEUE_NAMES, Queues } from '@rhx/queue';
import { TEST_REDIS_URL, createTestDatabase, prepareTestTemplate, uniqueName } from '@rhx/testing';
import { readStatusKb, spawnChild, stopChild, waitFor, type Child } from './procs.js';

export const REDIS_URL = TEST_REDIS_URL;
export const FIXTURE = JSON.parse(readFileSync('../shared/fixtures/incidents/critical-credential-access.json', 'utf8')) as Record<string, unknown>;
export const incidentBody = (id: string) => JSON.stringify({ ...FIXTURE, id });

/** Clean-ups still owed, run in reverse order by {@link cleanUpEverything} (also on failure). */
const owed: { what: string; fn: () => Promise<unknown> }[] = [];

export async function cleanUpEverything(log: (s: string) => void): Promise<void> {
  while (owed.length > 0) {
    const { what, fn } = owed.pop()!;
    await fn().catch((err: unknown) => log(`clean-up of ${what} failed: ${(err as Error).message}`));
  }
}

// The bench's own migrated template, made at start and dropped at the end: it needs no earlier
// `npm test`, and never touches the template of a test run going on at the same time.
const TEMPLATE = uniqueName('rhx_bench_tpl');

/** Makes the template every stage's database is cloned from; dropped by {@link cleanUpEverything}. */
export async function prepareBenchTemplate(): Promise<void> {
  const url = await prepareTestTemplate(TEMPLATE);
  owed.push({ what: `template database ${TEMPLATE}`, fn: () => dropDatabase(url) });
}

/** A database cloned from the bench's template, dropped at the end (for rows that run their own fleet). */
export async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const db = await createTestDatabase(TEMPLATE);
  owed.push({ what: `database ${db.url}`, fn: db.drop });
  return db;
}

export interface Stage {
  name: string;
  dbUrl: string;
  prefix: string;
  redis: Redis;
  pg: pg.Client;
  incidentEvents: Queue;
  children: Child[];
  env: (extra?: Record<string, string>) => Record<string, string>;
  /** Stops this stage's children, obliterates its queues, drops its database. */
  close: () => Promise<void>;
}

export async function openStage(name: string): Promise<Stage> {
  const db = await createTestDatabase(TEMPLATE);
  const prefix = uniqueName(`rhxbench_${name}`);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const incidentEvents = new Queue(QUEUE_NAMES.incidentEvents, { connection: redis, prefix });
  const children: Child[] = [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.all(children.map((c) => stopChild(c)));
    const queues = new Queues(redis, prefix);
    await Promise.all(queues.all().map((q) => q.obliterate({ force: true })));
    await queues.close();
    await incidentEvents.close();
    redis.disconnect();
    await client.end().catch(() => undefined);
    await db.drop();
  };
  owed.push({ what: `stage ${name} (${db.url}, prefix ${prefix})`, fn: close });
  const env = (extra: Record<string, string> = {}) => ({
    NODE_ENV: 'test',
    ENV_FILE: '/dev/null', // a developer's .env must not change what is measured
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    ...extra,
  });
  return { name, dbUrl: db.url, prefix, redis, pg: client, incidentEvents, children, env, close };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

export interface Api {
  child: Child;
  port: number;
  token: string;
  startupMs: number;
}

/** The real API process, launched as the image launches it (its node flags, MALLOC_ARENA_MAX=2); resolves once `/readyz` answers 200. */
export async function startApi(stage: Stage, extraEnv: Record<string, string> = {}): Promise<Api> {
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const child = spawnChild(`api-${stage.name}`, 'api', 'apps/api/src/main.ts', [], stage.env({ ...extraEnv, API_PORT: String(port), API_TOKEN: token, MALLOC_ARENA_MAX: '2' }), API_NODE_FLAGS);
  stage.children.push(child);
  await waitFor(async () => (await getStatus(port, '/readyz')) === 200, 60_000, `${child.name} /readyz`, child, 100);
  child.readyRssKb = readStatusKb(child.pid, 'VmRSS') ?? 0;
  child.readyMs = Date.now() - child.spawnedAt;
  return { child, port, token, startupMs: child.readyMs };
}

/**
 * `count` real worker processes (`--role push` unless `roles` says otherwise); resolves once that many
 * BullMQ workers of the stage's incident-events queue are registered in Redis (CLIENT LIST), i.e. once
 * every process is consuming.
 */
export async function startWorkers(
  stage: Stage,
  count: number,
  extraEnv: Record<string, string> = {},
  roles = 'push',
): Promise<{ children: Child[]; startupMs: number }> {
  const before = await stage.incidentEvents.getWorkersCount();
  // BENCH_CPU_PROF_DIR=<dir>: each worker writes a V8 CPU profile there when it exits (to see where its time goes).
  const profDir = process.env.BENCH_CPU_PROF_DIR;
  // BENCH_NODE_FLAGS='--flag …': added after the workers' own flags (later ones win), to try V8 settings.
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const flags = [...WORKER_NODE_FLAGS, ...extra, ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [])];
  const children = Array.from({ length: count }, (_, i) =>
    spawnChild(`worker-${stage.name}-${i + 1}`, 'worker', 'apps/worker/src/main.ts', ['--role', roles], stage.env({ ...WORKER_ENV, ...extraEnv }), flags),
  );
  stage.children.push(...children);
  const t0 = Date.now();
  await waitFor(
    async () => (await stage.incidentEvents.getWorkersCount()) >= before + count,
    90_000,
    `${count} worker process(es) of stage ${stage.name} to register`,
    children,
    25,
  );
  for (const c of children) {
    c.readyRssKb = readStatusKb(c.pid, 'VmRSS') ?? 0;
    c.readyMs = Date.now() - c.spawnedAt;
  }
  return { children, startupMs: Date.now() - t0 };
}

/**
 * What a running fleet's database holds from earlier days: `incidents` incidents pushed to Jira and
 * ServiceNow (their deliveries, attempts, tickets and history rows), then vacuumed and analyzed, as
 * autovacuum keeps a live database (vacuumed too, so autovacuum does not come to these rows during the
 * measurement). A stage's database is otherwise empty, and PostgreSQL plans the fleet's prepared statements
 * when they first run: against empty tables it scans them whole, and keeps those plans while the tables grow
 * during the measurement (seen in row (f): a third of PostgreSQL's CPU per ticket). A running fleet's plans
 * are made, and remade after each autovacuum ANALYZE, against tables like these.
 */
export async function seedEarlierDays(stage: Stage, incidents: number): Promise<void> {
  await stage.pg.query(
    `WITH i AS (
       INSERT INTO incidents (id, payload, severity, risk_score, actor_name, actor_type, source, occurred_at, received_at, ingested_at, updated_at)
       SELECT 'EARLIER-' || g, json_build_object('id', 'EARLIER-' || g, 'createdAt', '2026-11-01T00:00:00Z', 'actor', json_build_object('name', 'user' || g, 'type', 'user'), 'risk', json_build_object('score', 90)),
         'CRITICAL', 90, 'user' || g, 'user', 'producer', now() - interval '2 days', now() - interval '2 days', now() - interval '2 days', now() - interval '2 days'
       FROM generate_series(1, $1::int) g RETURNING id
     ), d AS (
       INSERT INTO deliveries (id, incident_id, system, trigger, kind, status, attempts, created_at, updated_at)
       SELECT gen_random_uuid(), i.id, s.system, 'auto', 'create', 'SUCCEEDED', 1, now() - interval '2 days', now() - interval '2 days'
       FROM i CROSS JOIN (VALUES ('jira'), ('servicenow')) s(system) RETURNING id, incident_id, system
     ), a AS (
       INSERT INTO delivery_attempts (delivery_id, number, outcome, started_at, finished_at, level)
       SELECT id, 1, 'SUCCEEDED', now() - interval '2 days', now() - interval '2 days', 'CRITICAL' FROM d
     ), t AS (
       INSERT INTO ticket_refs (incident_id, system, external_id, remote_id, url, created_at, last_push_at, last_push_level)
       SELECT incident_id, system, 'OLD-' || incident_id, incident_id, 'https://remote.example/' || incident_id, now() - interval '2 days', now() - interval '2 days', 'CRITICAL' FROM d
     )
     INSERT INTO incident_history (incident_id, action, source, message, new_value, created_at)
     SELECT id, 'CREATED', 'producer', 'incident created', '{"severity":"CRITICAL"}'::jsonb, now() - interval '2 days' FROM i
     UNION ALL
     SELECT incident_id, 'TICKET_CREATED', 'ticket-push', system || ' ticket created', '{}'::jsonb, now() - interval '2 days' FROM d`,
    [incidents],
  );
  await stage.pg.query('VACUUM (ANALYZE)');
}

export async function ingestedCount(stage: Stage, like?: string): Promise<number> {
  const r = await stage.pg.query<{ n: string }>(
    like === undefined
      ? 'SELECT count(*) AS n FROM incidents WHERE ingested_at IS NOT NULL'
      : 'SELECT count(*) AS n FROM incidents WHERE ingested_at IS NOT NULL AND id LIKE $1',
    like === undefined ? [] : [like],
  );
  return Number(r.rows[0]?.n ?? 0);
}

/** The stage's database name, as its PostgreSQL backends show it in their process titles. */
export function dbNameOf(stage: Stage): string {
  return new URL(stage.dbUrl).pathname.slice(1);
}

/** Queues `n` copies of the fixture (ids `<idPrefix>-0`…) through the producer library, 200 at a time. */
export async function enqueueIncidents(stage: Stage, n: number, idPrefix: string): Promise<void> {
  for (let i = 0; i < n; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, n - i) }, (_, k) => enqueueIncident(stage.redis, { ...FIXTURE, id: `${idPrefix}-${i + k}` }, { prefix: stage.prefix })),
    );
  }
}

/** Ticket references stored, and deliveries that will not get one (FAILED or SKIPPED). */
export async function ticketProgress(stage: Stage): Promise<{ stored: number; givenUp: number }> {
  const r = await stage.pg.query<{ stored: string; given_up: string }>(
    `SELECT (SELECT count(*) FROM ticket_refs) AS stored, (SELECT count(*) FROM deliveries WHERE status IN ('FAILED', 'SKIPPED')) AS given_up`,
  );
  return { stored: Number(r.rows[0]?.stored ?? 0), givenUp: Number(r.rows[0]?.given_up ?? 0) };
}
