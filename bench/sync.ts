// Row (j): one sync cycle over 10,000 open ServiceNow tickets against the simulator answering in 20 ms, run
// by a real `--role sync` worker process at the default SYNC_CONCURRENCY; 1% of the tickets changed state
// since the last poll, and only those may be written as changes.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { QUEUE_NAMES } from '@rhx/queue';
import { parseConfig } from '@rhx/config';
import { SYNC_SCHEDULER_ID, SyncStats } from '@rhx/sync';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { cpuWindow, type CpuReport } from './cpu.js';
import { spawnChild, stopChild, waitFor } from './procs.js';
import { dbNameOf, openStage } from './setup.js';
import { startSimulators } from './simulators.js';

export const SYNC_TICKETS = 10_000;
export const SYNC_CHANGED = 100;

export interface SyncBenchResult {
  tickets: number;
  /** The cycle's own duration (the worker's `rhx_sync_last_cycle_seconds`) and from queue resume to done. */
  cycleMs: number;
  wallMs: number;
  polled: number;
  changes: number;
  errors: number;
  /** What PostgreSQL holds afterwards: history rows, incidents moved to IN_PROGRESS, incidents whose updated_at moved. */
  historyRows: number;
  inProgress: number;
  touched: number;
  concurrency: number;
  cpu: CpuReport;
}

const SNOW_AUTH = `Basic ${Buffer.from('bench:bench-snow').toString('base64')}`;

async function snow(url: string, method: 'POST' | 'PATCH', body: object): Promise<{ sys_id: string; number: string }> {
  const res = await fetch(url, { method, headers: { authorization: SNOW_AUTH, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`simulator ${method} answered ${res.status}`);
  return ((await res.json()) as { result: { sys_id: string; number: string } }).result;
}

/** `n` incidents in the simulator, `limit` requests at a time. */
async function seedSimulator(base: string, n: number, limit = 100): Promise<{ sys_id: string; number: string }[]> {
  const made: { sys_id: string; number: string }[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < n) {
      const i = next++;
      made[i] = await snow(`${base}/api/now/table/incident`, 'POST', { short_description: `bench sync ${i}`, correlation_id: `rhythmx:BENCH-S-${i}` });
    }
  }));
  return made;
}

export async function measureSync(): Promise<SyncBenchResult> {
  const sims = await startSimulators('sync', Number(process.env.BENCH_SIM_LATENCY ?? 20));
  const stage = await openStage('sync');
  const syncQueue = new Queue(QUEUE_NAMES.ticketSync, { connection: stage.redis, prefix: stage.prefix });
  try {
    const records = await seedSimulator(sims.snow, SYNC_TICKETS);
    // The database as after earlier cycles: every ticket last seen New (state 1).
    await stage.pg.query(
      `INSERT INTO incidents (id, payload, severity, risk_score, actor_name, actor_type, source, occurred_at, ingested_at, snow_ticket_state)
       SELECT 'BENCH-S-' || g, '{}'::json, 'CRITICAL', 90, 'bench', 'user', 'api', now(), now(), 'New' FROM generate_series(0, $1::int - 1) g`,
      [SYNC_TICKETS],
    );
    await stage.pg.query(
      `INSERT INTO ticket_refs (incident_id, system, external_id, remote_id, url, remote_state, last_polled_at)
       SELECT 'BENCH-S-' || (x.i - 1), 'servicenow', x.number, x.sys_id, 'https://bench/nav_to.do', '1', now() - interval '5 minutes'
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(sys_id, number, i)`,
      [records.map((r) => r.sys_id), records.map((r) => r.number)],
    );
    await stage.pg.query('ANALYZE incidents; ANALYZE ticket_refs');
    // 1% moved to In Progress since the last poll, spread over every page.
    const step = SYNC_TICKETS / SYNC_CHANGED;
    for (let i = 0; i < SYNC_TICKETS; i += step) await snow(`${sims.snow}/api/now/table/incident/${records[i]!.sys_id}`, 'PATCH', { state: '2' });
    const startedAt = new Date();

    await syncQueue.pause();
    const env = stage.env({
      ...WORKER_ENV, SETTINGS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      SNOW_INSTANCE: sims.snow, SNOW_USERNAME: 'bench', SNOW_PASSWORD: 'bench-snow', SNOW_ENABLED: 'true', SYNC_INTERVAL_SECONDS: '3600',
    });
    const worker = spawnChild('worker-sync', 'worker', 'apps/worker/src/main.ts', ['--role', 'sync'], env, WORKER_NODE_FLAGS);
    stage.children.push(worker);
    const scheduled = async () => (await syncQueue.getWorkersCount()) >= 1 && (await syncQueue.getJobScheduler(SYNC_SCHEDULER_ID)) !== undefined;
    await waitFor(scheduled, 90_000, 'the sync worker to register and schedule its cycle', worker, 50);
    const stats = new SyncStats(stage.redis, stage.prefix);
    const cpu = cpuWindow({ worker: [worker.pid], simulators: [sims.child.pid] }, { database: dbNameOf(stage) });
    const t0 = performance.now();
    await syncQueue.resume();
    await waitFor(async () => (await stats.read()).cycles >= 1, 300_000, 'one sync cycle', worker, 50);
    const wallMs = performance.now() - t0;
    const cpuReport = cpu.stop();
    const s = await stats.read();
    const { rows } = await stage.pg.query<{ history: string; in_progress: string; touched: string }>(
      `SELECT (SELECT count(*) FROM incident_history WHERE action = 'EXTERNAL_SYNC') AS history,
              (SELECT count(*) FROM incidents WHERE analyst_status = 'IN_PROGRESS') AS in_progress,
              (SELECT count(*) FROM incidents WHERE updated_at >= $1) AS touched`,
      [startedAt],
    );
    await stopChild(worker);
    return {
      tickets: SYNC_TICKETS, cycleMs: s.lastCycleMs, wallMs, polled: s.bySystem.servicenow.polled, changes: s.bySystem.servicenow.changes,
      errors: s.bySystem.servicenow.errors, historyRows: Number(rows[0]?.history), inProgress: Number(rows[0]?.in_progress),
      touched: Number(rows[0]?.touched), concurrency: parseConfig({ NODE_ENV: 'test' }).SYNC_CONCURRENCY, cpu: cpuReport,
    };
  } finally {
    await syncQueue.close();
    await stage.close();
    await stopChild(sims.child);
  }
}
