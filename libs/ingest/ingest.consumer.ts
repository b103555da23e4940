import type { Worker } from 'bullmq';
import type { IncidentRepository, PrismaClient } from '@rhx/db';
import type { AnalystStatusChange, TargetSystem } from '@rhx/domain';
import type { Logger } from '@rhx/logger';
import { QUEUE_NAMES, runningRole, startConsumer, type ConsumerEnv, type Queues, type RunningRole, type RedisClient } from '@rhx/queue';
import type { IntegrationSettingsStore } from '@rhx/settings';
import { RiskChanges, applyRiskChange } from '@rhx/risk';
import { processIncidentCreated } from './incident-created.processor.js';
import { createIngestDeps } from './ingest-deps.js';

/** What the ingest consumer is built from (a worker process's shared objects). */
export interface IngestConsumerDeps {
  config: ConsumerEnv & { SNOW_UPDATE_CADENCE_HOURS: number };
  logger: Logger;
  prisma: PrismaClient;
  incidents: IncidentRepository;
  integrations: IntegrationSettingsStore;
  queues: Queues;
  redis: RedisClient;
  /** The ticket lifecycle (built by `@rhx/push`, which this lib may not import): analyst statuses, reopening. */
  lifecycle: {
    /** Sets an analyst's status (a close resolves the incident's tickets); false when the incident is not known. */
    setAnalystStatus(incidentId: string, change: AnalystStatusChange, source: string): Promise<boolean>;
    /** The systems whose resolved tickets a rise reopens. */
    reopening(): Promise<readonly TargetSystem[]>;
  };
}

/**
 * The consumer of incident events (the push role's first half): stores each incident, decides its
 * auto-push and enqueues its deliveries' ticket-push jobs; stores each risk change and runs the cadence
 * gate for the incident's tickets; records each analyst status (a close resolves the tickets).
 * @param options.policyTtlMs how long auto-push settings are cached (tests use 0).
 */
export function startIngestConsumer(deps: IngestConsumerDeps, options: { concurrency: number; policyTtlMs?: number }): Worker {
  const ingest = createIngestDeps(deps, deps.logger, options.policyTtlMs === undefined ? {} : { policyTtlMs: options.policyTtlMs });
  const risk = {
    riskChanges: new RiskChanges(deps.prisma, deps.config.SNOW_UPDATE_CADENCE_HOURS), queues: deps.queues, logger: deps.logger, reopening: () => deps.lifecycle.reopening(),
  };
  return startConsumer(deps.config, deps.logger, {
    queue: QUEUE_NAMES.incidentEvents,
    handlers: {
      'incident-created': (payload) => processIncidentCreated(ingest, payload),
      'risk-changed': async ({ incidentId, change }) => {
        // Retried by BullMQ (the job's attempts): its incident-created event may not have been stored yet.
        if (!(await applyRiskChange(risk, incidentId, change, 'producer'))) throw new Error(`incident ${incidentId} is not known (yet); the risk change waits for it`);
      },
      'analyst-status': async ({ incidentId, change }) => {
        if (!(await deps.lifecycle.setAnalystStatus(incidentId, change, 'producer'))) throw new Error(`incident ${incidentId} is not known (yet); the analyst status waits for it`);
      },
    },
    concurrency: options.concurrency,
    retention: deps.queues.retention,
  });
}

/** Concurrency of the ingest consumer of a worker process (README: Roles). */
export const INGEST_CONCURRENCY = 100;

/**
 * The ingest role (CONTRACT §1, `--role ingest`): the incident-events consumer alone, for deployments that
 * scale storing events apart from calling ticketing systems. The push role starts the same consumer.
 */
export function startIngestRole(deps: IngestConsumerDeps, concurrency = INGEST_CONCURRENCY): RunningRole {
  return runningRole([startIngestConsumer(deps, { concurrency })]);
}
