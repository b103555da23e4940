// Issue 3's measures: tickets/s end to end (incident queued → ticket reference stored) against the
// simulators answering in 20 ms, with 1 and 2 worker processes; and the renderers' tickets/s on one core.
import { Queue } from 'bullmq';
import { incidentSchema } from '@rhx/domain';
import { QUEUE_NAMES } from '@rhx/queue';
import { enqueueIncident } from '@rhx/producer';
import { renderJiraAdf, renderJiraWiki, renderPlainText } from '@rhx/tickets';
import { cpuWindow, type CpuReport } from './cpu.js';
import { stopChild, waitFor } from './procs.js';
import { FIXTURE, dbNameOf, openStage, seedEarlierDays, startWorkers } from './setup.js';
import { startSimulators, ticketingEnv } from './simulators.js';

/** The incidents of earlier days already in the database (see seedEarlierDays): about a week of a busy SOC's. */
const EARLIER_INCIDENTS = 20_000;

export interface TicketsResult {
  workers: number;
  tickets: number;
  perSecond: number;
  seconds: number;
  cpu: CpuReport;
}

/**
 * `n` critical incidents auto-pushed to Jira Cloud and ServiceNow: 2n tickets. End to end (`ingestFirst`
 * false): the push workers ingest the queued incidents and push their tickets, all in the window. Push
 * alone (`ingestFirst`): a `--role ingest` worker stores the incidents and queues their pushes first, as
 * row (l) does, and is stopped; the window holds only the push workers making the tickets.
 */
export async function measureTickets(workers: number, n = 1500, ingestFirst = false): Promise<TicketsResult> {
  const sims = await startSimulators(`t${workers}${ingestFirst ? 'p' : ''}`, Number(process.env.BENCH_SIM_LATENCY ?? 20));
  const stage = await openStage(`t${workers}${ingestFirst ? 'p' : ''}`);
  try {
    for (let i = 0; i < n; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, n - i) }, (_, k) =>
          enqueueIncident(stage.redis, { ...FIXTURE, id: `BENCH-T-${i + k}` }, { prefix: stage.prefix }),
        ),
      );
    }
    await seedEarlierDays(stage, EARLIER_INCIDENTS);
    // One environment for both processes: the ingest worker stores the settings under its encryption key.
    const env = ticketingEnv(sims);
    // The tickets made here: past the earlier days' (an index range, so polling costs PostgreSQL next to nothing).
    const before = (await stage.pg.query<{ id: string }>('SELECT COALESCE(max(id), 0) AS id FROM ticket_refs')).rows[0]!.id;
    const stored = async () => Number((await stage.pg.query<{ n: string }>('SELECT count(*) AS n FROM ticket_refs WHERE id > $1', [before])).rows[0]?.n ?? 0);
    // What the window starts: the incidents queued (end to end), or their pushes (push alone).
    const held = ingestFirst ? new Queue(QUEUE_NAMES.ticketPush, { connection: stage.redis, prefix: stage.prefix }) : stage.incidentEvents;
    try {
      await held.pause();
      if (ingestFirst) {
        const ingest = await startWorkers(stage, 1, env, 'ingest');
        await waitFor(async () => (await held.getWaitingCount()) >= 2 * n, 120_000, `${2 * n} pushes queued`, ingest.children, 100);
        for (const c of ingest.children) await stopChild(c);
      }
      const started = await startWorkers(stage, workers, env);
      const cpu = cpuWindow({ worker: started.children.map((c) => c.pid), simulators: [sims.child.pid] }, { database: dbNameOf(stage) });
      const t0 = performance.now();
      await held.resume();
      await waitFor(async () => (await stored()) >= 2 * n, 180_000, `${2 * n} tickets stored`, started.children, 100);
      const seconds = (performance.now() - t0) / 1000;
      return { workers, tickets: 2 * n, perSecond: (2 * n) / seconds, seconds, cpu: cpu.stop() };
    } finally {
      if (held !== stage.incidentEvents) await held.close();
    }
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
