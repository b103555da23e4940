import type { Worker } from 'bullmq';
import { OutboxSweeper, RECONCILE_EVERY_MS, createIngestDeps, ensureReconcilerScheduled, processIncidentCreated, scheduleReconciler } from '@rhx/ingest';
import { AdapterProvider, adapterOptionsFrom, createPushDeps, deliveryBackoff, ticketPushHandler, ticketRetryHandler } from '@rhx/push';
import { startSyncRole } from '@rhx/sync';
import { IncidentRepository } from '@rhx/db';
import { QUEUE_NAMES, Queues, createRedisConnection } from '@rhx/queue';
import { bootstrap, onShutdown } from '@rhx/runtime';
import { ADAPTER_MAX_WAIT_MS, ThrottledTime, adapterThrottle, createSystemThrottle } from '@rhx/throttle';
import { parseRoles, type Role } from './roles.js';
import { closeWorker, startConsumer } from './consumers.js';

let roles: Role[];
try {
  roles = parseRoles(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exit(2);
}

const { config, logger, prisma, integrations } = await bootstrap('worker', { poolSize: 40 });
const redis = createRedisConnection(config.REDIS_URL, 'worker');
const queues = new Queues(redis, config.QUEUE_PREFIX);
const incidents = new IncidentRepository(prisma);
const workers: Worker[] = [];
let scheduleGuard: NodeJS.Timeout | undefined;

// Calls to each ticketing system are paced fleet-wide (a 429's Retry-After, the optional steady cap).
const waited = new ThrottledTime(redis, config.QUEUE_PREFIX);
const systemThrottle = createSystemThrottle(redis, config, { onThrottled: (system, ms) => waited.add(system, ms) });
const throttle = { calls: adapterThrottle(systemThrottle), maxWaitMs: ADAPTER_MAX_WAIT_MS };
const push = roles.includes('push') || roles.includes('retry') ? createPushDeps(prisma, integrations, config, logger, { throttle }) : undefined;
if (roles.includes('push')) {
  const deps = createIngestDeps({ prisma, incidents, integrations, queues, redis }, logger);
  workers.push(
    startConsumer(config, logger, QUEUE_NAMES.incidentEvents, { 'incident-created': (p) => processIncidentCreated(deps, p) }, 100),
  );
  workers.push(startConsumer(config, logger, QUEUE_NAMES.ticketPush, { 'ticket-push': ticketPushHandler(push!, queues) }, 50));
}
if (roles.includes('retry')) {
  const sweeper = new OutboxSweeper(incidents, queues, logger);
  const handlers = { 'ticket-retry': ticketRetryHandler(push!), 'delivery-reconcile': () => sweeper.sweepOnce() };
  workers.push(startConsumer(config, logger, QUEUE_NAMES.ticketRetry, handlers, 50, { settings: { backoffStrategy: deliveryBackoff(push!.retry) } }));
  await scheduleReconciler(queues);
  await sweeper.sweepOnce().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'reconcile at start failed; the schedule will run it again'));
  // A Redis that lost its data lost the schedule too: put it back, and with it everything the queue lost.
  scheduleGuard = setInterval(() => {
    ensureReconcilerScheduled(queues).then(
      (again) => again && logger.warn('reconciler schedule was missing from Redis; registered it again'),
      (err: unknown) => logger.warn({ err: (err as Error).message }, 'could not check the reconciler schedule; will try again'),
    );
  }, RECONCILE_EVERY_MS / 4);
}
// The sync role: one cycle per SYNC_INTERVAL_SECONDS across the fleet, reads paced by the same throttle.
let sync: { close(): Promise<void> } | undefined;
if (roles.includes('sync')) {
  const adapters = new AdapterProvider(integrations, { ...adapterOptionsFrom(config), throttle: throttle.calls });
  sync = await startSyncRole({ config, logger, prisma, redis, queues, adapters });
}
logger.info({ roles, queues: workers.map((w) => w.name) }, 'worker started');

onShutdown(logger, async () => {
  clearInterval(scheduleGuard);
  await Promise.all([...workers.map((w) => closeWorker(w, 7000)), sync?.close()]);
  await queues.close();
  redis.disconnect();
  await prisma.$disconnect();
  logger.info('worker stopped');
});
