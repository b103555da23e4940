// (a) The raw BullMQ ceiling on this machine: 20,000 no-op jobs added first (addBulk, batches of 1,000)
// into a fresh queue with its own prefix, then drained by one Worker (concurrency 50) in this process.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { uniqueName } from '@rhx/testing';
import { cpuWindow, type CpuReport } from './cpu.js';

export interface RawRun {
  jobsPerSecond: number;
  fillSeconds: number;
  drainSeconds: number;
  cpu: CpuReport;
}

export async function rawCeilingOnce(redisUrl: string, jobs = 20_000, batch = 1_000, concurrency = 50): Promise<RawRun> {
  const prefix = uniqueName('rhxbench_raw');
  const producer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('raw-ceiling', { connection: producer, prefix });
  let worker: Worker | undefined;
  try {
    const f0 = performance.now();
    for (let i = 0; i < jobs; i += batch) {
      await queue.addBulk(
        Array.from({ length: Math.min(batch, jobs - i) }, (_, k) => ({ name: 'noop', data: { i: i + k }, opts: { removeOnComplete: true } })),
      );
    }
    const fillSeconds = (performance.now() - f0) / 1000;
    let done = 0;
    let failed = 0;
    let resolveDone!: () => void;
    const allDone = new Promise<void>((r) => (resolveDone = r));
    const cpu = cpuWindow({});
    const t0 = performance.now();
    worker = new Worker('raw-ceiling', async () => undefined, { connection: workerConnection, prefix, concurrency });
    worker.on('completed', () => {
      if (++done + failed === jobs) resolveDone();
    });
    worker.on('failed', () => {
      if (done + ++failed === jobs) resolveDone();
    });
    await allDone;
    const drainSeconds = (performance.now() - t0) / 1000;
    const cpuReport = cpu.stop();
    if (failed > 0) throw new Error(`${failed} no-op jobs failed`);
    return { jobsPerSecond: jobs / drainSeconds, fillSeconds, drainSeconds, cpu: cpuReport };
  } finally {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    producer.disconnect();
    workerConnection.disconnect();
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
