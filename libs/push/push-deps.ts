import type { PrismaClient } from '@rhx/db';
import type { CallThrottle, TokenCache } from '@rhx/adapters';
import { DeliveryRepository } from '@rhx/deliveries';
import type { Logger } from '@rhx/logger';
import { MemoryBudget, retrySettingsFrom, type RetrySettings, type RedisClient, keyLayoutOf } from '@rhx/queue';
import { RiskChanges } from '@rhx/risk';
import { IntegrationHealth } from '@rhx/settings';
import type { IntegrationSettingsStore } from '@rhx/settings';
import { ADAPTER_MAX_WAIT_MS, ThrottledTime, adapterThrottle, createSystemThrottle } from '@rhx/throttle';
import { AdapterProvider, adapterOptionsFrom } from './adapter-provider.js';

export interface PushDeps {
  deliveries: DeliveryRepository;
  adapters: AdapterProvider;
  /** Bounds the stored incidents read and rendered at once, by bytes. */
  memory: MemoryBudget;
  /** Longest one remote call may take: its wait for the system's throttle plus `HTTP_TIMEOUT_MS`. */
  callLimitMs: number;
  retry: RetrySettings;
  /** How long after an unknown outcome a create's look-up waits (`UNKNOWN_OUTCOME_SETTLE_SECONDS`). */
  settleMs: number;
  /** Credential refusals make the integration unhealthy until a call succeeds. */
  health: Pick<IntegrationHealth, 'failed' | 'succeeded'>;
  /** The cadence gate, for a risk change that arrived while the ticket was being made. */
  riskChanges: Pick<RiskChanges, 'afterCreate'>;
  logger: Logger;
}

/** How much longer than its remote calls a lease lasts: the statements around the calls and a slow event loop. */
export const LEASE_MARGIN_MS = 10_000;

/**
 * Remote calls one lease covers without a renewal: a look-up then the create, or an update's two calls
 * (Jira: the priority, then the comment). A run makes sure of the lease before each step's calls.
 */
export const CALLS_PER_LEASE = 2;

/**
 * Memory a push worker lets the incidents it reads and renders hold at once (reservations are four
 * times the stored JSON size): with the workers' 128 MB heap, a few of the largest valid incidents at
 * a time, and all fifty jobs at once when incidents are of the usual size.
 */
export const PUSH_MEMORY_BYTES = 32 * 1024 * 1024;

/** The push worker's dependencies from the process configuration: one place for worker, tests and bench. */
export function createPushDeps(
  prisma: PrismaClient,
  integrations: IntegrationSettingsStore,
  config: Parameters<typeof adapterOptionsFrom>[0] & Parameters<typeof retrySettingsFrom>[0] & { SNOW_UPDATE_CADENCE_HOURS: number; UNKNOWN_OUTCOME_SETTLE_SECONDS: number },
  logger: Logger,
  overrides: { settingsTtlMs?: number; leaseMarginMs?: number; memoryBytes?: number; throttle?: PushThrottle; tokens?: TokenCache } = {},
): PushDeps {
  // A call may first wait for the system's throttle, then take up to the HTTP timeout: the lease covers both.
  const callLimitMs = config.HTTP_TIMEOUT_MS + (overrides.throttle?.maxWaitMs ?? 0);
  const adapterOptions = {
    ...adapterOptionsFrom(config),
    ...(overrides.throttle ? { throttle: overrides.throttle.calls } : {}),
    ...(overrides.tokens ? { tokens: overrides.tokens } : {}),
  };
  const settleMs = config.UNKNOWN_OUTCOME_SETTLE_SECONDS * 1000;
  return {
    deliveries: new DeliveryRepository(prisma, CALLS_PER_LEASE * callLimitMs + (overrides.leaseMarginMs ?? LEASE_MARGIN_MS), settleMs),
    settleMs,
    adapters: new AdapterProvider(integrations, adapterOptions, ...(overrides.settingsTtlMs === undefined ? [] : [overrides.settingsTtlMs])),
    memory: new MemoryBudget(overrides.memoryBytes ?? PUSH_MEMORY_BYTES),
    callLimitMs,
    retry: retrySettingsFrom(config),
    health: new IntegrationHealth(prisma),
    riskChanges: new RiskChanges(prisma, config.SNOW_UPDATE_CADENCE_HOURS),
    logger,
  };
}

/** How a worker's calls to each ticketing system are held back: its part of the fleet-wide throttle. */
export interface PushThrottle {
  calls: CallThrottle;
  maxWaitMs: number;
}

/**
 * The fleet-wide throttle of calls to each ticketing system (a 429's Retry-After, the optional steady
 * cap), in Redis, with the time it held calls back summed for the API's metrics. Every worker of a
 * process (push and retry) should share one.
 */
export function createPushThrottle(redis: RedisClient, config: Parameters<typeof createSystemThrottle>[1] & { QUEUE_PREFIX: string }): PushThrottle {
  const waited = new ThrottledTime(redis, keyLayoutOf(redis, config.QUEUE_PREFIX).group('throttle'));
  const systemThrottle = createSystemThrottle(redis, config, { onThrottled: (system, ms) => waited.add(system, ms) });
  return { calls: adapterThrottle(systemThrottle), maxWaitMs: ADAPTER_MAX_WAIT_MS };
}
