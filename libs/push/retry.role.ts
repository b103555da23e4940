import type { IncidentRepository } from '@rhx/db';
import type { Logger } from '@rhx/logger';
import { QUEUE_NAMES, runningRole, startConsumer, type ConsumerEnv, type Queues, type RunningRole } from '@rhx/queue';
import { OutboxSweeper, RECONCILE_EVERY_MS, ensureReconcilerScheduled, scheduleReconciler } from './outbox.sweeper.js';
import { ROLE_CONCURRENCY } from './push.role.js';
import { deliveryBackoff, ticketRetryHandler } from './ticket-push.job.js';
import type { PushDeps } from './push-deps.js';

export interface RetryRoleDeps {
  config: ConsumerEnv;
  logger: Logger;
  incidents: IncidentRepository;
  queues: Queues;
  push: PushDeps;
  concurrency?: number;
  reconciler?: {
    /** How long a PENDING delivery or an owed incident waits before the reconciler re-enqueues it; default 60 s. */
    graceMs?: number;
    /**
     * false: no schedule, no sweep at start, no schedule guard; whoever started the role drives the
     * reconciler itself (the in-process test harness). Default true.
     */
    schedule?: boolean;
  };
}

/**
 * The retry role (CONTRACT §1): the ticket-retry consumer (with the delivery backoff every worker of
 * that queue must define) and the reconciler: its Job Scheduler registered, one sweep at start, and a
 * periodic check that puts the schedule back when Redis lost it (and with it everything the queue lost).
 */
export async function startRetryRole(deps: RetryRoleDeps): Promise<RunningRole> {
  const { logger, queues, push } = deps;
  const sweeper = new OutboxSweeper(deps.incidents, push.deliveries, queues, logger, deps.reconciler?.graceMs);
  const worker = startConsumer(deps.config, logger, {
    queue: QUEUE_NAMES.ticketRetry,
    handlers: { 'ticket-retry': ticketRetryHandler(push, deps.queues), 'delivery-reconcile': () => sweeper.sweepOnce() },
    concurrency: deps.concurrency ?? ROLE_CONCURRENCY.retry,
    backoffStrategy: deliveryBackoff(push.retry),
    retention: queues.retention,
  });
  if (deps.reconciler?.schedule === false) return runningRole([worker]);
  await scheduleReconciler(queues);
  await sweeper.sweepOnce().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'reconcile at start failed; the schedule will run it again'));
  // A Redis that lost its data lost the schedule too: put it back, and with it everything the queue lost.
  const guard = setInterval(() => {
    ensureReconcilerScheduled(queues).then(
      (again) => again && logger.warn('reconciler schedule was missing from Redis; registered it again'),
      (err: unknown) => logger.warn({ err: (err as Error).message }, 'could not check the reconciler schedule; will try again'),
    );
  }, RECONCILE_EVERY_MS / 4);
  return runningRole([worker], () => clearInterval(guard));
}
