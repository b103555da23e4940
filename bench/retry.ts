// The retry under transient failures: 2,000 critical incidents pushed to Jira Cloud and ServiceNow while a
// share of the creates fails at random (bench/random-faults.ts), one worker process with the push and
// retry roles. Time until every ticket reference is stored, and the tickets per incident the simulators hold.
import { cpuWindow, type CpuReport } from './cpu.js';
import { stopChild, waitFor, warningsOf } from './procs.js';
import { dbNameOf, enqueueIncidents, openStage, startWorkers, ticketProgress } from './setup.js';
import { startSimulators, ticketTally, ticketingEnv } from './simulators.js';
import type { TicketTally } from './ticket-tally.js';

/**
 * Base 1 s as the issue asks. With 20% failing per try, the slowest of 4,000 deliveries fails about five
 * times in a row (4,000 × 0.2⁵ ≈ 1.3): the cap keeps that tail at 1+2+4+8+8 s, and ten attempts make
 * exhausting them (0.2¹⁰ per delivery) practically impossible, so "all ticketed" is reachable.
 */
export const RETRY_ENV = { RETRY_BASE_DELAY_SECONDS: '1', RETRY_MAX_DELAY_SECONDS: '8', RETRY_MAX_ATTEMPTS: '10' } as const;
const LATENCY_MS = 20;

export interface RetryResult {
  incidents: number;
  tickets: number;
  stored: number;
  givenUp: number;
  seconds: number;
  tally: TicketTally;
  /** Attempts per delivery → deliveries. */
  attempts: Record<string, number>;
  adopted: number;
  cpu: CpuReport;
  warnings: string[];
}

export async function measureRetry(n = 2_000, failureRate = 0.2): Promise<RetryResult> {
  const sims = await startSimulators('h', LATENCY_MS, failureRate);
  const stage = await openStage('h');
  try {
    await enqueueIncidents(stage, n, 'BENCH-H');
    await stage.incidentEvents.pause();
    const started = await startWorkers(stage, 1, { ...ticketingEnv(sims), ...RETRY_ENV }, 'push,retry');
    const cpu = cpuWindow({ worker: started.children.map((c) => c.pid), simulators: [sims.child.pid] }, { database: dbNameOf(stage) });
    const t0 = performance.now();
    await stage.incidentEvents.resume();
    let progress = { stored: 0, givenUp: 0 };
    const done = async () => {
      progress = await ticketProgress(stage);
      return progress.stored + progress.givenUp >= 2 * n;
    };
    await waitFor(done, 240_000, `${2 * n} tickets stored or given up`, started.children, 100);
    const seconds = (performance.now() - t0) / 1000;
    const cpuReport = cpu.stop();
    const attempts = await stage.pg.query<{ attempts: number; n: string }>('SELECT attempts, count(*) AS n FROM deliveries GROUP BY attempts ORDER BY attempts');
    const adopted = await stage.pg.query<{ n: string }>(`SELECT count(*) AS n FROM incident_history WHERE action = 'TICKET_ADOPTED'`);
    return {
      incidents: n,
      tickets: 2 * n,
      ...progress,
      seconds,
      tally: await ticketTally(sims),
      attempts: Object.fromEntries(attempts.rows.map((r) => [String(r.attempts), Number(r.n)])),
      adopted: Number(adopted.rows[0]?.n ?? 0),
      cpu: cpuReport,
      warnings: started.children.flatMap((c) => warningsOf(c)),
    };
  } finally {
    await stage.close();
    await stopChild(sims.child);
  }
}
