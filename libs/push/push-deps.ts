import type { PrismaClient } from '@rhx/db';
import type { CallThrottle } from '@rhx/adapters';
import type { Logger } from '@rhx/logger';
import { IntegrationHealth, type IntegrationSettingsStore } from '@rhx/settings';
import { AdapterProvider, adapterOptionsFrom } from './adapter-provider.js';
import { DeliveryRepository } from './delivery.repository.js';
import { MemoryBudget, retrySettingsFrom } from '@rhx/queue';
import type { PushDeps } from './ticket-push.processor.js';

/** How much longer than one HTTP call a lease lasts: the statements around the call and a slow event loop. */
export const LEASE_MARGIN_MS = 10_000;

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
  config: Parameters<typeof adapterOptionsFrom>[0] & Parameters<typeof retrySettingsFrom>[0],
  logger: Logger,
  overrides: { settingsTtlMs?: number; leaseMarginMs?: number; memoryBytes?: number; throttle?: { calls: CallThrottle; maxWaitMs: number } } = {},
): PushDeps {
  // A call may first wait for the system's throttle, then take up to the HTTP timeout: the lease covers both.
  const callLimitMs = config.HTTP_TIMEOUT_MS + (overrides.throttle?.maxWaitMs ?? 0);
  const adapterOptions = { ...adapterOptionsFrom(config), ...(overrides.throttle ? { throttle: overrides.throttle.calls } : {}) };
  return {
    deliveries: new DeliveryRepository(prisma, callLimitMs + (overrides.leaseMarginMs ?? LEASE_MARGIN_MS)),
    adapters: new AdapterProvider(integrations, adapterOptions, ...(overrides.settingsTtlMs === undefined ? [] : [overrides.settingsTtlMs])),
    memory: new MemoryBudget(overrides.memoryBytes ?? PUSH_MEMORY_BYTES),
    callLimitMs,
    retry: retrySettingsFrom(config),
    health: new IntegrationHealth(prisma),
    logger,
  };
}
