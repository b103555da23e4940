// Whether a worker's memory keeps growing with the deliveries it has made: one worker process (push and
// retry roles) makes 20,000 tickets (10,000 incidents × Jira + ServiceNow) against simulators with no
// latency and no faults; its RSS is read after the first 2,000 and again after all 20,000.
import { cpuWindow, type CpuReport } from './cpu.js';
import { readStatusKb, sleep, stopChild, warningsOf } from './procs.js';
import { dbNameOf, enqueueIncidents, openStage, startWorkers, ticketProgress } from './setup.js';
import { startSimulators, ticketingEnv } from './simulators.js';

export interface RssMark {
  /** Tickets stored when read (the poll overshoots the mark a little). */
  tickets: number;
  /** Peak (VmHWM) and current (VmRSS) resident set, kB. */
  hwmKb: number;
  rssKb: number;
}

export interface RssGrowthResult {
  tickets: number;
  seconds: number;
  readyRssKb: number;
  marks: RssMark[];
  cpu: CpuReport;
  warnings: string[];
}

export async function measureRssGrowth(incidents = 10_000, firstMark = 2_000): Promise<RssGrowthResult> {
  const sims = await startSimulators('i', 0);
  const stage = await openStage('i');
  try {
    await enqueueIncidents(stage, incidents, 'BENCH-I');
    await stage.incidentEvents.pause();
    const started = await startWorkers(stage, 1, ticketingEnv(sims), 'push,retry');
    const worker = started.children[0]!;
    const cpu = cpuWindow({ worker: [worker.pid], simulators: [sims.child.pid] }, { database: dbNameOf(stage) });
    const t0 = performance.now();
    await stage.incidentEvents.resume();
    const marks: RssMark[] = [];
    const goals = [firstMark, 2 * incidents];
    const deadline = Date.now() + 300_000;
    while (marks.length < goals.length) {
      if (worker.exitCode() !== undefined) throw new Error(`${worker.name} exited (${worker.exitCode()}): ${worker.stderr().slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`timed out with ${marks.length} of ${goals.length} RSS marks`);
      const { stored, givenUp } = await ticketProgress(stage);
      if (givenUp > 0) throw new Error(`${givenUp} deliveries failed or were skipped with no faults injected`);
      if (stored >= goals[marks.length]!) {
        marks.push({ tickets: stored, hwmKb: readStatusKb(worker.pid, 'VmHWM') ?? NaN, rssKb: readStatusKb(worker.pid, 'VmRSS') ?? NaN });
      }
      await sleep(100);
    }
    const seconds = (performance.now() - t0) / 1000;
    return { tickets: 2 * incidents, seconds, readyRssKb: worker.readyRssKb, marks, cpu: cpu.stop(), warnings: warningsOf(worker) };
  } finally {
    await stage.close();
    await stopChild(sims.child);
  }
}
