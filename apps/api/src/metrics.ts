import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { PrismaClient } from '@rhx/db';
import { TARGET_SYSTEMS } from '@rhx/domain';
import { ATTEMPT_OUTCOMES, DELIVERY_KINDS, DELIVERY_STATUSES, attemptCounts, deliveryCounts, retryBacklog } from '@rhx/push';
import type { Queues } from '@rhx/queue';
import type { SyncCounts, SyncStats, SyncStatsSnapshot } from '@rhx/sync';
import type { ThrottledTime } from '@rhx/throttle';

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

/**
 * Adds the delivery gauges, read from PostgreSQL at scrape time with one grouped statement each (as
 * `rhx_queue_jobs` reads Redis). Every known label combination is always present, at 0 when empty, so a
 * series never vanishes when its last row changes status. Registering twice on one registry is a no-op.
 */
export function registerDeliveryGauges(registry: Registry, prisma: PrismaClient): void {
  if (registry.getSingleMetric('rhx_deliveries')) return;
  const zeroed = <L extends string>(gauge: Gauge<L>, labels: Record<L, string>[]) => {
    gauge.reset();
    for (const l of labels) gauge.set(l, 0);
  };
  const systems = TARGET_SYSTEMS.map((system) => ({ system }));
  new Gauge({
    name: 'rhx_deliveries',
    help: 'Deliveries per target system, kind (create, update, resolve) and status, read from PostgreSQL at scrape time.',
    labelNames: ['system', 'kind', 'status'] as const,
    registers: [registry],
    async collect() {
      const rows = await deliveryCounts(prisma);
      zeroed(this, systems.flatMap(({ system }) => DELIVERY_KINDS.flatMap((kind) => DELIVERY_STATUSES.map((status) => ({ system, kind, status })))));
      for (const r of rows) this.set({ system: r.system, kind: r.kind, status: r.status }, r.count);
    },
  });
  new Gauge({
    name: 'rhx_delivery_attempts',
    help: 'Delivery attempts recorded in PostgreSQL (rows of delivery_attempts) per target system and outcome, read at scrape time. A count of rows, not a counter: it falls when incidents are deleted.',
    labelNames: ['system', 'outcome'] as const,
    registers: [registry],
    async collect() {
      const rows = await attemptCounts(prisma);
      zeroed(this, systems.flatMap(({ system }) => ATTEMPT_OUTCOMES.map((outcome) => ({ system, outcome }))));
      for (const r of rows) this.set({ system: r.system, outcome: r.outcome }, r.count);
    },
  });
  const backlog = (name: string, help: string, pick: 'waiting' | 'due') =>
    new Gauge({
      name, help, labelNames: ['system'] as const, registers: [registry],
      async collect() {
        const rows = await retryBacklog(prisma);
        zeroed(this, systems);
        for (const r of rows) this.set({ system: r.system }, r[pick]);
      },
    });
  backlog('rhx_retry_backlog', 'Deliveries waiting to retry (RETRY_WAIT) per target system, read from PostgreSQL at scrape time.', 'waiting');
  backlog('rhx_retry_backlog_due', 'Deliveries in RETRY_WAIT whose next attempt time has passed, per target system: the retry worker is behind when this stays above 0.', 'due');
}

/** Adds `rhx_throttled_seconds{system}`: what every worker's calls waited for that system's throttle, from Redis. */
export function registerThrottleGauge(registry: Registry, waited: ThrottledTime): void {
  if (registry.getSingleMetric('rhx_throttled_seconds')) return;
  new Gauge({
    name: 'rhx_throttled_seconds',
    help: 'Seconds the fleet\'s calls to each target system waited for its throttle (a 429\'s Retry-After, the steady cap), summed by every worker in Redis; only grows while Redis keeps its data.',
    labelNames: ['system'] as const,
    registers: [registry],
    async collect() {
      const ms = await waited.read();
      for (const system of TARGET_SYSTEMS) this.set({ system }, ms[system] / 1000);
    },
  });
}

/**
 * Adds the sync cycle's metrics, summed by every sync worker in Redis ({@link SyncStats}) and read at
 * scrape time: cycles run, the last cycle's duration and end, and per system tickets polled, changes
 * written, tickets found vanished and failed reads. The totals only grow while Redis keeps its data.
 */
export function registerSyncMetrics(registry: Registry, stats: SyncStats): void {
  if (registry.getSingleMetric('rhx_sync_cycles_total')) return;
  let snapshot: Promise<SyncStatsSnapshot> | undefined;
  // One Redis read per scrape, shared by the metrics below (each collects on its own).
  const read = () => (snapshot ??= stats.read().finally(() => setImmediate(() => (snapshot = undefined))));
  const total = (name: string, help: string, value: (s: SyncStatsSnapshot) => number) =>
    new Counter({ name, help, registers: [registry], async collect() { this.reset(); this.inc(value(await read())); } });
  const gauge = (name: string, help: string, value: (s: SyncStatsSnapshot) => number) =>
    new Gauge({ name, help, registers: [registry], async collect() { this.set(value(await read())); } });
  total('rhx_sync_cycles_total', 'Sync cycles finished by the fleet (one per SYNC_INTERVAL_SECONDS when the fleet keeps up).', (s) => s.cycles);
  gauge('rhx_sync_last_cycle_seconds', 'Duration of the last finished sync cycle.', (s) => s.lastCycleMs / 1000);
  gauge('rhx_sync_last_cycle_timestamp_seconds', 'When the last sync cycle finished (Unix seconds; 0 before any): alert when it falls behind.', (s) => s.lastCycleAt / 1000);
  const perSystem = (name: string, help: string, count: keyof SyncCounts) =>
    new Counter({
      name, help, labelNames: ['system'] as const, registers: [registry],
      async collect() {
        const s = await read();
        this.reset();
        for (const system of TARGET_SYSTEMS) this.inc({ system }, s.bySystem[system][count]);
      },
    });
  perSystem('rhx_sync_tickets_polled_total', 'Tickets the sync cycle read, per target system.', 'polled');
  perSystem('rhx_sync_changes_total', 'Remote status changes the sync wrote to incidents (each with an EXTERNAL_SYNC history row), per target system.', 'changes');
  perSystem('rhx_sync_vanished_total', 'Tickets the remote no longer had (404), recorded once and no longer synced, per target system.', 'vanished');
  perSystem('rhx_sync_errors_total', 'Ticket reads that failed (read again next cycle), per target system.', 'errors');
}
