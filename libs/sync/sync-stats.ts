import type { RedisClient } from '@rhx/queue';
import { TARGET_SYSTEMS, type TargetSystem } from '@rhx/domain';

/** What a part of a cycle did for one system; summed into {@link SyncStats}. */
export interface SyncCounts {
  /** Tickets read successfully. */
  polled: number;
  /** Real changes written (each with an `EXTERNAL_SYNC` history row). */
  changes: number;
  /** Tickets the remote no longer has (`404`), recorded once and dropped. */
  vanished: number;
  /** Reads that failed otherwise; those tickets are read again next cycle. */
  errors: number;
}

export const SYNC_COUNTS = ['polled', 'changes', 'vanished', 'errors'] as const satisfies readonly (keyof SyncCounts)[];

export const zeroCounts = (): SyncCounts => ({ polled: 0, changes: 0, vanished: 0, errors: 0 });

/** The sync metrics as the API reads them at scrape time. */
export interface SyncStatsSnapshot {
  cycles: number;
  /** Duration of the last finished cycle and when it finished (epoch ms); 0 before any. */
  lastCycleMs: number;
  lastCycleAt: number;
  bySystem: Record<TargetSystem, SyncCounts>;
}

/**
 * The sync cycle's metrics, summed in one Redis hash by every sync worker (as ThrottledTime sums waits),
 * so that the API, which serves /metrics, sees the whole fleet. Counts are added per page, so a long cycle
 * shows its progress; they only grow while Redis keeps its data.
 */
export class SyncStats {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.key = `${prefix}:sync:stats`;
  }

  /** Adds counts; never fails the cycle (a lost sample is only a metric). */
  async add(system: TargetSystem, counts: Partial<SyncCounts>): Promise<void> {
    const multi = this.redis.multi();
    for (const name of SYNC_COUNTS) if (counts[name]) multi.hincrby(this.key, `${system}:${name}`, counts[name]);
    await multi.exec().catch(() => undefined);
  }

  async cycleFinished(durationMs: number, at = Date.now()): Promise<void> {
    await this.redis
      .multi()
      .hincrby(this.key, 'cycles', 1)
      .hset(this.key, 'lastCycleMs', Math.round(durationMs), 'lastCycleAt', at)
      .exec()
      .catch(() => undefined);
  }

  async read(): Promise<SyncStatsSnapshot> {
    const raw = await this.redis.hgetall(this.key);
    const n = (field: string) => Number(raw[field] ?? 0) || 0;
    const bySystem = Object.fromEntries(
      TARGET_SYSTEMS.map((s) => [s, Object.fromEntries(SYNC_COUNTS.map((c) => [c, n(`${s}:${c}`)])) as unknown as SyncCounts]),
    ) as Record<TargetSystem, SyncCounts>;
    return { cycles: n('cycles'), lastCycleMs: n('lastCycleMs'), lastCycleAt: n('lastCycleAt'), bySystem };
  }
}
