import { GroupCommit, type IncidentRepository, type IngestCommand, type PrismaClient } from '@rhx/db';
import type { Logger } from '@rhx/logger';
import { INLINE_INCIDENT_BYTES, IncidentPayloadStore, MemoryBudget, QUEUE_NAMES, type Queues, type RedisClient } from '@rhx/queue';
import type { IntegrationSettingsStore } from '@rhx/settings';
import { AutoPushPolicy } from './auto-push.policy.js';
import type { IngestDeps } from './incident-created.processor.js';

/**
 * Memory the ingest of large producer-path incidents may hold at once (reservations are three times
 * the JSON size): a few of the largest valid incidents at a time within the workers' 128 MB heap.
 */
export const INGEST_MEMORY_BYTES = 24 * 1024 * 1024;

/** Most incident data in one ingest statement: its JSON parameter is built whole in memory. */
const STATEMENT_BYTES = 8 * 1024 * 1024;

/** The ingest worker's dependencies: one place for the worker, tests and the bench. */
export function createIngestDeps(
  infra: { prisma: PrismaClient; incidents: IncidentRepository; integrations: IntegrationSettingsStore; queues: Queues; redis: RedisClient },
  logger: Logger,
  overrides: { policyTtlMs?: number } = {},
): IngestDeps {
  const batcher = new GroupCommit((cmds: IngestCommand[]) => infra.incidents.ingestMany(cmds), {
    weigh: (cmd) => (cmd.incident ? (cmd.bytes ?? INLINE_INCIDENT_BYTES) : 0),
    maxWeight: STATEMENT_BYTES,
  });
  return {
    batcher,
    queues: infra.queues,
    payloads: new IncidentPayloadStore(infra.redis, infra.queues.layout.queue(QUEUE_NAMES.incidentEvents)),
    memory: new MemoryBudget(INGEST_MEMORY_BYTES),
    isStored: (incidentId) => infra.incidents.exists(incidentId),
    policy: new AutoPushPolicy(infra.prisma, infra.integrations, ...(overrides.policyTtlMs === undefined ? [] : [overrides.policyTtlMs])),
    logger,
  };
}
