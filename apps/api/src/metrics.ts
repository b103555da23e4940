import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queues } from '@rhx/queue';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children'] as const;

/** The API's Prometheus registry: ingest counters and queue depths per queue and state. */
export function createMetrics(queues: Queues) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rhx_api_' });
  const received = new Counter({
    name: 'rhx_incidents_received_total',
    help: 'Incident-created events received by the API, by outcome (accepted, duplicate, invalid).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'rhx_queue_jobs',
    help: 'Jobs per queue and state, read from Redis at scrape time.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      for (const queue of queues.all()) {
        const counts = await queue.getJobCounts(...JOB_STATES);
        for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  return { registry, received };
}
export type Metrics = ReturnType<typeof createMetrics>;
