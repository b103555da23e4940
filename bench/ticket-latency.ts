// Row (m): what an analyst waits for. Incidents POSTed to the real API at 20/s (open loop), auto-pushed by
// one push worker to the simulated Jira and ServiceNow answering in 200 ms; the time from each POST to
// each ticket reference stored (`ticket_refs.created_at`, the database's clock on this same machine).
import { percentile, openLoop } from './http-load.js';
import { stopChild, waitFor } from './procs.js';
import { incidentBody, openStage, startApi, startWorkers } from './setup.js';
import { startSimulators, ticketingEnv } from './simulators.js';

export interface TicketLatencyResult {
  rate: number;
  tickets: number;
  expected: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function measureTicketLatency(rate = 20, durationMs = 15_000, warmupMs = 3_000, remoteMs = 200): Promise<TicketLatencyResult> {
  const sims = await startSimulators('m', remoteMs);
  const stage = await openStage('m');
  try {
    const env = ticketingEnv(sims);
    const [api, started] = await Promise.all([startApi(stage, env), startWorkers(stage, 1, env)]);
    const target = { port: api.port, token: api.token, path: '/v1/incidents' };
    await openLoop(target, rate, warmupMs, (n) => incidentBody(`BENCH-MW-${n}`));
    const r = await openLoop(target, rate, durationMs, (n) => incidentBody(`BENCH-M-${n}`));
    const accepted = r.sent.filter((s) => s.status === 202);
    const expected = accepted.length * 2;
    const stored = async () =>
      Number((await stage.pg.query<{ n: string }>(`SELECT count(*) AS n FROM ticket_refs WHERE incident_id LIKE 'BENCH-M-%'`)).rows[0]?.n ?? 0);
    await waitFor(async () => (await stored()) >= expected, 60_000, 'row (m) tickets stored', started.children, 100).catch(() => undefined);
    const { rows } = await stage.pg.query<{ id: string; at: number }>(
      `SELECT incident_id AS id, (extract(epoch FROM created_at) * 1000)::float8 AS at FROM ticket_refs WHERE incident_id LIKE 'BENCH-M-%'`,
    );
    const sentAt = new Map(accepted.map((s) => [`BENCH-M-${s.n}`, s.sentEpochMs]));
    const waits = rows.flatMap((row) => (sentAt.has(row.id) ? [row.at - sentAt.get(row.id)!] : [])).sort((a, b) => a - b);
    return { rate, tickets: waits.length, expected, p50Ms: percentile(waits, 50), p99Ms: percentile(waits, 99), maxMs: waits.at(-1) ?? NaN };
  } finally {
    await stage.close();
    await stopChild(sims.child);
  }
}
