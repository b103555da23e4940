import { keyLayoutOf, type RedisClient } from '@rhx/queue';
import { SYSTEMS, type CallClearance, type CallThrottle } from '@rhx/adapters';
import type { Config, SystemEnv } from '@rhx/config';
import { TARGET_SYSTEMS, type TargetSystem } from '@rhx/domain';
import { SystemThrottle, type SystemThrottleOptions } from './system-throttle.js';
import { ThrottleWaitTooLongError } from './throttle-errors.js';

/**
 * Longest a request waits inside an adapter for its clearance (a pause or a slot under the cap).
 * Beyond it the request is not sent and the job is retried later, so a long `Retry-After` never
 * holds a worker slot; a push's lease must cover this wait plus `HTTP_TIMEOUT_MS`.
 */
export const ADAPTER_MAX_WAIT_MS = 5000;

/** The process's throttle from its configuration: `QUEUE_PREFIX` keys, the `*_MAX_REQUESTS_PER_SECOND` caps. */
export function createSystemThrottle(
  redis: RedisClient,
  config: Pick<Config, 'QUEUE_PREFIX'> & Partial<Config>,
  options: Omit<SystemThrottleOptions, 'prefix' | 'maxRequestsPerSecond'> = {},
): SystemThrottle {
  return new SystemThrottle(redis, {
    ...options,
    prefix: keyLayoutOf(redis, config.QUEUE_PREFIX).group('throttle'),
    maxRequestsPerSecond: requestCaps(config),
  });
}

/** Each target system's cap from its own variable (its descriptor's `env.maxRequestsPerSecond`). */
function requestCaps(config: Partial<Config>): Partial<Record<TargetSystem, number | undefined>> {
  const env = config as unknown as Readonly<Record<string, number | undefined>>;
  return Object.fromEntries(TARGET_SYSTEMS.map((s) => [s, env[(SYSTEMS[s].env as SystemEnv).maxRequestsPerSecond ?? '']]));
}

/**
 * The throttle as the adapters' {@link CallThrottle} (`AdapterOptions.throttle`): a request waits
 * at most `maxWaitMs` for its clearance; a longer hold answers `{send: false}` with the wait Redis
 * reported, which the adapter turns into an unsent, retryable `RATE_LIMITED` error.
 */
export function adapterThrottle(throttle: SystemThrottle, { maxWaitMs = ADAPTER_MAX_WAIT_MS } = {}): CallThrottle {
  return {
    async beforeCall(system: TargetSystem): Promise<CallClearance> {
      try {
        await throttle.beforeCall(system, { maxWaitMs });
        return { send: true };
      } catch (error) {
        if (!(error instanceof ThrottleWaitTooLongError)) throw error;
        return { send: false, retryAfterMs: error.retryAfterMs, reason: error.reason };
      }
    },
    pause: (system, ms) => throttle.pause(system, ms),
  };
}
