// (b) API accept rate, (c) end-to-end ingest rate with 1 and 2 worker processes, (d) accept-to-stored
// latency at a steady 200/s. Each phase has its own database, prefix and processes, torn down at its end.
import { enqueueIncident } from '@rhx/producer';
import { cpuWindow, type CpuReport } from './cpu.js';
import { closedLoop, openLoop, percentile, type Tally } from './http-load.js';
import { sleep, waitFor, warningsOf } from './procs.js';
import { FIXTURE, REDIS_URL, incidentBody, ingestedCount, openStage, startApi, startWorkers } from './setup.js';

export interface AcceptResult {
  acceptedPerSecond: number;
  tally: Tally;
  sent: number;
  p50Ms: number;
  p99Ms: number;
  startupMs: number;
  cpu: CpuReport;
  warnings: string[];
}

export async function measureAccept(clients = 50, warmupMs = 2_000, measureMs = 10_000): Promise<AcceptResult> {
  const stage = await openStage('b');
  try {
    const api = await startApi(stage);
    let cpu: ReturnType<typeof cpuWindow> | undefined;
    const timer = setTimeout(() => (cpu = cpuWindow({ api: [api.child.pid] })), warmupMs);
    const r = await closedLoop({ port: api.port, token: api.token, path: '/v1/incidents' }, clients, warmupMs, measureMs, (n) =>
      incidentBody(`BENCH-A-${n}`),
    );
    clearTimeout(timer);
    const cpuReport = (cpu ?? cpuWindow({})).stop();
    const lat = [...r.latencyMs].sort((a, b) => a - b);
    return {
      acceptedPerSecond: r.accepted / r.seconds,
      tally: r,
      sent: r.sent,
      p50Ms: percentile(lat, 50),
      p99Ms: percentile(lat, 99),
      startupMs: api.startupMs,
      cpu: cpuReport,
      warnings: warningsOf(api.child),
    };
  } finally {
    await stage.close();
  }
}

export interface IngestResult {
  workers: number;
  n: number;
  perSecond: number;
  seconds: number;
  prefillSeconds: number;
  startupMs: number;
  failedJobs: number;
  cpu: CpuReport;
  workerPids: number[];
  warnings: string[];
}

/**
 * Pre-fills incident-events with `n` incidents through the producer library while no worker runs and the
 * queue is paused, starts `workers` processes, waits until all are registered in Redis (consuming), then
 * resumes the queue and times until every incident is stored (polling PostgreSQL every 100 ms).
 */
export async function measureIngest(workers: number, n = 10_000, parallel = 200): Promise<IngestResult> {
  const stage = await openStage(`c${workers}`);
  try {
    const f0 = performance.now();
    for (let i = 0; i < n; i += parallel) {
      await Promise.all(
        Array.from({ length: Math.min(parallel, n - i) }, (_, k) =>
          enqueueIncident(stage.redis, { ...FIXTURE, id: `BENCH-C-${i + k}` }, { prefix: stage.prefix }),
        ),
      );
    }
    const prefillSeconds = (performance.now() - f0) / 1000;
    await stage.incidentEvents.pause(); // no worker consumes before all of them are registered
    const counts = await stage.incidentEvents.getJobCounts('waiting', 'active', 'completed', 'failed');
    const queued = counts.waiting ?? 0;
    if (queued !== n) throw new Error(`pre-fill left ${JSON.stringify(counts)} jobs, expected ${n} queued`);
    const started = await startWorkers(stage, workers);
    const pids = started.children.map((c) => c.pid);
    const cpu = cpuWindow({ worker: pids });
    const t0 = performance.now();
    await stage.incidentEvents.resume();
    await waitFor(async () => (await ingestedCount(stage)) >= n, 180_000, `${n} incidents stored`, started.children, 100);
    const seconds = (performance.now() - t0) / 1000;
    const cpuReport = cpu.stop();
    return {
      workers,
      n,
      perSecond: n / seconds,
      seconds,
      prefillSeconds,
      startupMs: started.startupMs,
      failedJobs: await stage.incidentEvents.getFailedCount(),
      cpu: cpuReport,
      workerPids: pids,
      warnings: started.children.flatMap(warningsOf),
    };
  } finally {
    await stage.close();
  }
}

export interface LatencyResult {
  rate: number;
  sent: number;
  accepted: number;
  stored: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The same p50/p99 split into POST→row stored by the API (received_at) and received_at→ingested_at. */
  acceptP50Ms: number;
  acceptP99Ms: number;
  queueP50Ms: number;
  queueP99Ms: number;
  httpP99Ms: number;
  maxSendLagMs: number;
  /** Per second of the run (by send time): requests, p50 and max of accept→stored, and HTTP 202 max (ms). */
  timeline: { second: number; n: number; p50: number; max: number; httpMax: number }[];
  tally: Tally;
  cpu: CpuReport;
  warnings: string[];
}

export async function measureLatency(rate = 200, durationMs = 15_000, warmupMs = 2_000): Promise<LatencyResult> {
  const stage = await openStage('d');
  try {
    const [api, started] = await Promise.all([startApi(stage), startWorkers(stage, 1)]);
    const target = { port: api.port, token: api.token, path: '/v1/incidents' };
    // Warm-up at the same rate (JIT, connection pools); its incidents are not in the statistics.
    await openLoop(target, rate, warmupMs, (n) => incidentBody(`BENCH-DW-${n}`));
    const cpu = cpuWindow({ api: [api.child.pid], worker: started.children.map((c) => c.pid) });
    const r = await openLoop(target, rate, durationMs, (n) => incidentBody(`BENCH-D-${n}`));
    const cpuReport = cpu.stop();
    const accepted = r.sent.filter((s) => s.status === 202);
    await waitFor(async () => (await ingestedCount(stage, 'BENCH-D-%')) >= accepted.length, 30_000, 'phase (d) incidents stored', started.children, 100).catch(
      () => undefined, // report what was stored; the missing ones show in `stored`
    );
    await sleep(50);
    const rows = await stage.pg.query<{ id: string; ingested: number | null; received: number }>(
      `SELECT id, (extract(epoch FROM ingested_at) * 1000)::float8 AS ingested, (extract(epoch FROM received_at) * 1000)::float8 AS received
       FROM incidents WHERE id LIKE 'BENCH-D-%'`,
    );
    const byId = new Map(rows.rows.map((row) => [row.id, row]));
    const total: number[] = [];
    const accept: number[] = [];
    const queue: number[] = [];
    for (const s of accepted) {
      const row = byId.get(`BENCH-D-${s.n}`);
      if (!row || row.ingested === null) continue;
      total.push(row.ingested - s.sentEpochMs);
      accept.push(row.received - s.sentEpochMs);
      queue.push(row.ingested - row.received);
    }
    const t0 = Math.min(...accepted.map((s) => s.sentEpochMs));
    const perSecond = new Map<number, { lat: number[]; http: number[] }>();
    for (const s of accepted) {
      const row = byId.get(`BENCH-D-${s.n}`);
      const sec = Math.floor((s.sentEpochMs - t0) / 1000);
      const b = perSecond.get(sec) ?? { lat: [], http: [] };
      perSecond.set(sec, b);
      b.http.push(s.acceptMs);
      if (row?.ingested != null) b.lat.push(row.ingested - s.sentEpochMs);
    }
    const timeline = [...perSecond].sort((a, b) => a[0] - b[0]).map(([second, b]) => {
      b.lat.sort((x, y) => x - y);
      return { second, n: b.http.length, p50: percentile(b.lat, 50), max: b.lat.at(-1) ?? NaN, httpMax: Math.max(...b.http) };
    });
    for (const a of [total, accept, queue]) a.sort((x, y) => x - y);
    const http = accepted.map((s) => s.acceptMs).sort((x, y) => x - y);
    return {
      rate,
      sent: r.sent.length,
      accepted: accepted.length,
      stored: total.length,
      p50Ms: percentile(total, 50),
      p99Ms: percentile(total, 99),
      maxMs: total.at(-1) ?? NaN,
      acceptP50Ms: percentile(accept, 50),
      acceptP99Ms: percentile(accept, 99),
      queueP50Ms: percentile(queue, 50),
      queueP99Ms: percentile(queue, 99),
      httpP99Ms: percentile(http, 99),
      maxSendLagMs: r.maxLagMs,
      timeline,
      tally: r,
      cpu: cpuReport,
      warnings: [...warningsOf(api.child), ...started.children.flatMap(warningsOf)],
    };
  } finally {
    await stage.close();
  }
}

export { REDIS_URL };
