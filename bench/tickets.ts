// Issue 3's measures: tickets/s end to end (incident queued → ticket reference stored) against the
// simulators answering in 20 ms, with 1 and 2 worker processes; and the renderers' tickets/s on one core.
import { randomBytes } from 'node:crypto';
import { incidentSchema } from '@rhx/domain';
import { enqueueIncident } from '@rhx/producer';
import { renderJiraAdf, renderJiraWiki, renderPlainText } from '@rhx/tickets';
import { cpuWindow, type CpuReport } from './cpu.js';
import { spawnChild, stopChild, waitFor } from './procs.js';
import { FIXTURE, openStage, startWorkers } from './setup.js';

export interface TicketsResult {
  workers: number;
  tickets: number;
  perSecond: number;
  seconds: number;
  cpu: CpuReport;
}

/** `n` critical incidents auto-pushed to Jira Cloud and ServiceNow: 2n tickets. */
export async function measureTickets(workers: number, n = 1500): Promise<TicketsResult> {
  const sims = spawnChild(`simulators-t${workers}`, 'simulator', 'bench/simulators.process.ts', [process.env.BENCH_SIM_LATENCY ?? '20'], {});
  await waitFor(async () => sims.stdout().includes('"jira"'), 30_000, 'simulators', [sims], 50);
  const { jira, snow } = JSON.parse(sims.stdout().trim().split('\n')[0]!) as { jira: string; snow: string };
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
    const started = await startWorkers(stage, workers, {
      SETTINGS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      JIRA_URL: jira, JIRA_EMAIL: 'bench@rhythmx.example', JIRA_API_TOKEN: 'bench-jira', JIRA_PROJECT_KEY: 'SEC', JIRA_ENABLED: 'true',
      SNOW_INSTANCE: snow, SNOW_USERNAME: 'bench', SNOW_PASSWORD: 'bench-snow', SNOW_ENABLED: 'true',
      AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_TARGETS: 'jira,servicenow',
    });
    const cpu = cpuWindow({ worker: started.children.map((c) => c.pid), simulators: [sims.pid] });
    const t0 = performance.now();
    await stage.incidentEvents.resume();
    const stored = async () => Number((await stage.pg.query<{ n: string }>('SELECT count(*) AS n FROM ticket_refs')).rows[0]?.n ?? 0);
    await waitFor(async () => (await stored()) >= 2 * n, 180_000, `${2 * n} tickets stored`, started.children, 100);
    const seconds = (performance.now() - t0) / 1000;
    return { workers, tickets: 2 * n, perSecond: (2 * n) / seconds, seconds, cpu: cpu.stop() };
  } finally {
    await stage.close();
    await stopChild(sims);
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
