import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '@rhx/queue';
import { TARGET_SYSTEMS, type TargetSystem } from '@rhx/domain';
import { ThrottleWaitTooLongError } from './throttle-errors.js';
import { throttleCommands, type ThrottleCommands } from './throttle.scripts.js';

/** Longest pause a `Retry-After` can impose (1 h): a broken remote must not park the fleet for days. */
export const MAX_PAUSE_MS = 3_600_000;
/** Longest sleep before asking Redis again while paused, so a pause lifted by hand is noticed. */
export const MAX_SLEEP_MS = 1000;

export interface SystemThrottleOptions {
  /** The fleet's BullMQ prefix (`QUEUE_PREFIX`); keys are `<prefix>:throttle:<system>:pause` and `…:next`. */
  prefix: string;
  /** Steady cap per system in requests per second across every process; absent means no cap. */
  maxRequestsPerSecond?: Partial<Record<TargetSystem, number | undefined>>;
  /** Called when a `beforeCall` that had to sleep ends, with the milliseconds it took (for a metric). */
  onThrottled?: (system: TargetSystem, ms: number) => void;
  maxPauseMs?: number;
  maxSleepMs?: number;
}

export interface BeforeCallOptions {
  /** Longest this caller waits in all; beyond it {@link ThrottleWaitTooLongError} is thrown. Absent: no limit. */
  maxWaitMs?: number;
}

/**
 * Fleet-wide pacing of the calls to each target system, kept in Redis so every worker process
 * shares it. Invariants: no call is cleared while its system is paused (as Redis sees it when the
 * slot is taken, and again when a reserved slot comes due); a pause only ever extends; with a cap of
 * N/s, cleared calls of one system are at least ⌈1000/N⌉ ms apart across the fleet (GCRA with a
 * burst of one); one system's pause or cap never delays another. Time is the Redis server's (key
 * lifetimes), never a worker's clock. Waits are the remaining times Redis reports, slept in
 * bounded steps; nothing polls faster than those times.
 */
export class SystemThrottle {
  private readonly commands: ThrottleCommands;
  private readonly intervals = new Map<TargetSystem, number>();
  private readonly throttled = new Map<TargetSystem, number>();
  private readonly maxPauseMs: number;
  private readonly maxSleepMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: SystemThrottleOptions,
  ) {
    this.commands = throttleCommands(redis);
    for (const [system, perSecond] of Object.entries(options.maxRequestsPerSecond ?? {}) as [TargetSystem, number | undefined][]) {
      if (perSecond === undefined) continue;
      if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`the request cap of ${system} must be a positive number`);
      // Whole milliseconds, rounded up: the cap is never exceeded, and caps above 1000/s act as 1000/s.
      this.intervals.set(system, Math.ceil(1000 / perSecond));
    }
    this.maxPauseMs = options.maxPauseMs ?? MAX_PAUSE_MS;
    this.maxSleepMs = options.maxSleepMs ?? MAX_SLEEP_MS;
  }

  /**
   * Resolves once a call to `system` may be sent now: the system is not paused and, when capped, a
   * slot is taken for this call (send it at once; an unused slot is simply lost). Throws
   * {@link ThrottleWaitTooLongError}, without waiting further or taking a slot, as soon as Redis
   * reports a wait beyond what is left of `maxWaitMs`. Redis errors are passed on.
   */
  async beforeCall(system: TargetSystem, { maxWaitMs }: BeforeCallOptions = {}): Promise<void> {
    const deadline = maxWaitMs === undefined ? Infinity : performance.now() + Math.max(0, maxWaitMs);
    const keys = this.keys(system);
    const began = performance.now();
    let slept = false;
    try {
      for (;;) {
        const budget = deadline - performance.now();
        const limit = Number.isFinite(budget) ? Math.max(0, Math.floor(budget)) : -1;
        const [verdict, waitMs] = await this.commands.rhxThrottleAcquire(keys.pause, keys.next, this.intervals.get(system) ?? 0, limit);
        if (verdict === 'slot' && waitMs === 0) return;
        if (verdict === 'full' || (verdict === 'paused' && waitMs > budget)) {
          throw new ThrottleWaitTooLongError(system, verdict === 'full' ? 'rate-capped' : 'paused', waitMs, maxWaitMs ?? Infinity);
        }
        slept = true;
        await sleep(verdict === 'paused' ? Math.min(waitMs, this.maxSleepMs) : waitMs);
        // A 429 may have paused the system while this caller slept towards its slot: the slot is then forfeit.
        if (verdict === 'slot' && (await this.pausedMs(system)) === 0) return;
      }
    } finally {
      if (slept) this.record(system, performance.now() - began);
    }
  }

  /**
   * Holds every process's calls to `system` for at least `ms` (capped at `maxPauseMs`) from now, as
   * Redis counts time. A longer pause already in place stays; `ms` that is not positive does nothing.
   */
  async pause(system: TargetSystem, ms: number): Promise<void> {
    if (!(ms > 0)) return;
    await this.commands.rhxThrottlePause(this.keys(system).pause, Math.ceil(Math.min(ms, this.maxPauseMs)));
  }

  /** Milliseconds the pause of `system` still lasts; 0 when it is not paused. */
  async pausedMs(system: TargetSystem): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.keys(system).pause));
  }

  /**
   * Milliseconds this process's callers were held per system since it started: the whole time of
   * every `beforeCall` that had to sleep (cleared or given up), counted when it ends.
   */
  throttledMs(): Record<TargetSystem, number> {
    return Object.fromEntries(TARGET_SYSTEMS.map((s) => [s, this.throttled.get(s) ?? 0])) as Record<TargetSystem, number>;
  }

  /** The Redis keys of `system`; with a hash-tagged prefix (`{rhx}`) they share one cluster slot. */
  keys(system: TargetSystem): { pause: string; next: string } {
    const base = `${this.options.prefix}:throttle:${system}`;
    return { pause: `${base}:pause`, next: `${base}:next` };
  }

  private record(system: TargetSystem, ms: number): void {
    this.throttled.set(system, (this.throttled.get(system) ?? 0) + ms);
    this.options.onThrottled?.(system, ms);
  }
}
