import type { RedisClient } from '@rhx/queue';
import { TARGET_SYSTEMS, type TargetSystem } from '@rhx/domain';

/**
 * Time the fleet's calls spent waiting for each system's throttle, summed in Redis so that the API
 * (which serves /metrics) sees what every worker process waited. Milliseconds since Redis started empty.
 */
export class ThrottledTime {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** Adds a wait; never fails the call it is about (a lost sample is only a metric). */
  add(system: TargetSystem, ms: number): void {
    if (ms > 0) this.redis.incrby(this.key(system), Math.round(ms)).catch(() => undefined);
  }

  async read(): Promise<Record<TargetSystem, number>> {
    const values = await this.redis.mget(...TARGET_SYSTEMS.map((s) => this.key(s)));
    return Object.fromEntries(TARGET_SYSTEMS.map((s, i) => [s, Number(values[i] ?? 0)])) as Record<TargetSystem, number>;
  }

  private key(system: TargetSystem): string {
    return `${this.prefix}:throttle:${system}:waited-ms`;
  }
}
