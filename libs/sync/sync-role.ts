import type { Config } from '@rhx/config';
import type { PrismaClient } from '@rhx/db';
import type { Logger } from '@rhx/logger';
import { JOB_CATALOGUE, runningRole, startConsumer, type Queues, type RunningRole, type RedisClient, keyLayoutOf } from '@rhx/queue';
import { SyncCycle, type SyncCycleDeps, type SyncCycleReport } from './sync-cycle.js';
import { ensureSyncScheduled } from './sync-schedule.js';
import { SyncRepository } from './sync.repository.js';
import { SyncStats } from './sync-stats.js';

/** What the sync role needs; `adapters` built with the fleet's throttle (`AdapterOptions.throttle`). */
export interface SyncRoleDeps {
  config: Pick<Config, 'REDIS_URL' | 'QUEUE_PREFIX' | 'SYNC_INTERVAL_SECONDS' | 'SYNC_CONCURRENCY' | 'TICKET_INTEGRATION'>;
  logger: Logger;
  prisma: PrismaClient;
  /** A worker connection (for the metrics); the role's BullMQ worker opens its own. */
  redis: RedisClient;
  queues: Queues;
  adapters: SyncCycleDeps['adapters'];
  /** How often the schedule is checked (and registered again if Redis lost it); default a quarter interval, at most a minute. */
  guardEveryMs?: number;
  /** Called after each finished cycle (tests, bench). */
  onCycle?: (report: SyncCycleReport) => void;
}

/** Longest a closing role waits for its cycle to stop; the cycle ends at the next read or wait anyway. */
const CLOSE_LIMIT_MS = 7000;

/**
 * The `sync` worker role: registers the sync cycle's Job Scheduler (once per interval however many sync
 * workers run) and consumes its `sync-cycle` jobs one at a time, each running a {@link SyncCycle}.
 * `close()` ends a running cycle early (its remaining tickets are read next cycle), stops the worker and
 * the schedule guard; it leaves the schedule in Redis for the other sync workers.
 */
export async function startSyncRole(deps: SyncRoleDeps): Promise<RunningRole> {
  const { config, logger, queues } = deps;
  const everyMs = config.SYNC_INTERVAL_SECONDS * 1000;
  const cycle = new SyncCycle({
    repository: new SyncRepository(deps.prisma),
    adapters: deps.adapters,
    queues,
    integration: config.TICKET_INTEGRATION,
    concurrency: config.SYNC_CONCURRENCY,
    logger,
    stats: new SyncStats(deps.redis, keyLayoutOf(deps.redis, config.QUEUE_PREFIX).group('sync')),
  });
  const stopping = new AbortController();
  const worker = startConsumer(config, logger, {
    queue: JOB_CATALOGUE['sync-cycle'].queue,
    concurrency: 1,
    handlers: {
      'sync-cycle': async () => {
        const report = await cycle.run(stopping.signal);
        deps.onCycle?.(report);
        return { durationMs: Math.round(report.durationMs), bySystem: report.bySystem };
      },
    },
  });

  await ensureSyncScheduled(queues, everyMs);
  // A Redis that lost its data lost the schedule too: put it back.
  const guard = setInterval(() => {
    ensureSyncScheduled(queues, everyMs).then(
      (again) => again && logger.warn('sync schedule was missing from RedisClient; registered it again'),
      (err: unknown) => logger.warn({ err: (err as Error).message }, 'could not check the sync schedule; will try again'),
    );
  }, deps.guardEveryMs ?? Math.min(60_000, everyMs / 4));
  guard.unref();
  logger.info({ everyMs, concurrency: config.SYNC_CONCURRENCY, integration: config.TICKET_INTEGRATION }, 'sync role started');

  const role = runningRole([worker], () => clearInterval(guard));
  return {
    queues: role.queues,
    // The running cycle ends at its next read or wait; its remaining tickets are read next cycle.
    close: (limitMs: number = CLOSE_LIMIT_MS) => {
      stopping.abort();
      return role.close(limitMs);
    },
  };
}
