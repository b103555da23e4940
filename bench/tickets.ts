// Issue 3's measures: tickets/s end to end (incident queued → ticket reference stored) against the
// simulators answering in 20 ms, with 1 and 2 worker processes; and the renderers' tickets/s on one core.
import { incidentSchema } from '@rhx/domain';
import { enqueueIncident } from '@rhx/producer';
import { renderJiraAdf, renderJiraWiki, renderPlainText } from '@rhx/tickets';
import { cpuWindow, type CpuReport } from './cpu.js';
import { stopChild, waitFor } from './procs.js';
import { FIXTURE, dbNameOf, openStage, startWorkers } from './setup.js';
import { startSimulators, ticketingEnv } from './simulators.js';

export interface TicketsResult {
  workers: number;
  tickets: number;
  perSecond: number;
  seconds: number;
  cpu: CpuReport;
}

/** `n` critical incidents auto-pushed to Jira Cloud and ServiceNow: 2n tickets. */
export async function measureTickets(workers: number, n = 1500): Promise<TicketsResult> {
  const sims = await startSimulators(`t${workers}`, Number(process.env.BENCH_SIM_LATENCY ?? 20));
  const stage = await openStage(`t${workers}`);
  try {
    for (let i = 0; i < n; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, n - i) }, (_, k) =>
          enqueueIncident(stage.redis, { ...FIXTURE, id: `BENCH-T-${i + k}` }, { prefix: stage.prefix }),
        ),
      );
    }
    await stage.incidentEvents.pause();
    const started = await startWorkers(stage, workers, ticketingEnv(sims));
    const cpu = cpuWindow({ worker: started.children.map((c) => c.pid), simulators: [sims.child.pid] }, { database: dbNameOf(stage) });
    const t0 = performance.now();
    await stage.incidentEvents.resume();
    const stored = async () => Number((await stage.pg.query<{ n: string }>('SELECT count(*) AS n FROM ticket_refs')).rows[0]?.n ?? 0);
    await waitFor(async () => (await stored()) >= 2 * n, 180_000, `${2 * n} tickets stored`, started.children, 100);
    const seconds = (performance.now() - t0) / 1000;
    return { workers, tickets: 2 * n, perSecond: (2 * n) / seconds, seconds, cpu: cpu.stop() };
  } finally {
    await stage.close();
    await stopChild(sims.child);
  }
}

/** Renders of `critical-credential-access.json` per second on this (one) core, per renderer. */
export function measureRenderers(ms = 1500): Record<'adf' | 'wiki' | 'plain', number> {
  const incident = incidentSchema.parse(FIXTURE);
  const rate = (render: () => unknown) => {
    for (let i = 0; i < 200; i++) render(); // warm-up
    let count = 0;
    const end = performance.now() + ms;
    const t0 = performance.now();
    while (performance.now() < end) {
      render();
      count++;
    }
    return count / ((performance.now() - t0) / 1000);
  };
  return {
    adf: rate(() => renderJiraAdf(incident)),
    wiki: rate(() => renderJiraWiki(incident)),
    plain: rate(() => renderPlainText(incident)),
  };
}
