import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { IncidentRepository, PrismaClient } from '@rhx/db';
import type { Logger } from '@rhx/logger';
import { QUEUE_NAMES, startConsumer, type ConsumerEnv, type Queues } from '@rhx/queue';
import type { IntegrationSettingsStore } from '@rhx/settings';
import { processIncidentCreated } from './incident-created.processor.js';
import { createIngestDeps } from './ingest-deps.js';

/** What the ingest consumer is built from (a worker process's shared objects). */
export interface IngestConsumerDeps {
  config: ConsumerEnv;
  logger: Logger;
  prisma: PrismaClient;
  incidents: IncidentRepository;
  integrations: IntegrationSettingsStore;
  queues: Queues;
  redis: Redis;
}

/**
 * The consumer of incident-created events (the push role's first half): stores each incident, decides
 * its auto-push and enqueues its deliveries' ticket-push jobs.
 * @param options.policyTtlMs how long auto-push settings are cached (tests use 0).
 */
export function startIngestConsumer(deps: IngestConsumerDeps, options: { concurrency: number; policyTtlMs?: number }): Worker {
  const ingest = createIngestDeps(deps, deps.logger, options.policyTtlMs === undefined ? {} : { policyTtlMs: options.policyTtlMs });
  return startConsumer(deps.config, deps.logger, {
    queue: QUEUE_NAMES.incidentEvents,
    handlers: { 'incident-created': (payload) => processIncidentCreated(ingest, payload) },
    concurrency: options.concurrency,
    retention: deps.queues.retention,
  });
}
