import type { Worker } from 'bullmq';
import { INGEST_CONCURRENCY, startIngestConsumer, type IngestConsumerDeps } from '@rhx/ingest';
import { QUEUE_NAMES, runningRole, startConsumer, type RunningRole } from '@rhx/queue';
import { ticketPushHandler } from './ticket-push.job.js';
import type { PushDeps } from './push-deps.js';

/** A worker process's shared objects plus the push dependencies (shared with the retry role of the same process). */
export interface PushRoleDeps extends IngestConsumerDeps {
  push: PushDeps;
  concurrency?: { ingest?: number; push?: number };
}

/** Concurrency of each consumer of a worker process (README: Roles). */
export const ROLE_CONCURRENCY = { ingest: INGEST_CONCURRENCY, push: 50, retry: 50 } as const;

/** The consumer of ticket-push jobs: the first attempt of each delivery. */
export function startTicketPushConsumer(deps: Pick<PushRoleDeps, 'config' | 'logger' | 'queues' | 'push'>, concurrency: number): Worker {
  return startConsumer(deps.config, deps.logger, {
    queue: QUEUE_NAMES.ticketPush,
    handlers: { 'ticket-push': ticketPushHandler(deps.push, deps.queues) },
    concurrency,
    retention: deps.queues.retention,
  });
}

/** The push role (CONTRACT §1): ingests incident events, which is where pushing starts, and makes each delivery's first attempt. */
export function startPushRole(deps: PushRoleDeps): RunningRole {
  return runningRole([
    startIngestConsumer(deps, { concurrency: deps.concurrency?.ingest ?? ROLE_CONCURRENCY.ingest }),
    startTicketPushConsumer(deps, deps.concurrency?.push ?? ROLE_CONCURRENCY.push),
  ]);
}
