import { IncidentRepository, poolOf } from '@rhx/db';
import { startIngestRole } from '@rhx/ingest';
import { AdapterProvider, adapterOptionsFrom, incidentLifecycle, createPushDeps, createPushThrottle, startPushRole, startRetryRole, type PushDeps } from '@rhx/push';
import { RedisTokenCache } from '@rhx/settings';
import { startSyncRole } from '@rhx/sync';
import { Queues, createRedisConnection, jobRetentionFrom, type RunningRole, keyLayoutOf } from '@rhx/queue';
import { bootstrap, onShutdown, startHealthServer } from '@rhx/runtime';
import { parseRoles, type Role } from './roles.js';

let roles: Role[];
try {
  roles = parseRoles(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exit(2);
}

// Ten connections: no job holds one across a remote call, so 50 concurrent deliveries share them with
// little waiting, and fewer, busier backends cost PostgreSQL ~20% less CPU per ticket than 40 (bench row f).
const { config, logger, prisma, integrations } = await bootstrap('worker', { poolSize: 10 });
const redis = createRedisConnection(config.REDIS_URL, 'worker');
const queues = new Queues(redis, config.QUEUE_PREFIX, {
  retention: jobRetentionFrom(config),
  onError: (err) => logger.warn({ err: err.message }, 'queue connection error'),
});
const lifecycle = incidentLifecycle(prisma, integrations, config, queues, logger);
const infra = { config, logger, prisma, integrations, redis, queues, incidents: new IncidentRepository(prisma), lifecycle };

// Every role's calls to a ticketing system share one fleet-wide throttle; push and retry in one process
// also share one lease batcher and memory budget.
const throttle = createPushThrottle(redis, config);
// OAuth access tokens, fetched once and shared with every process of the fleet.
const tokens = new RedisTokenCache(redis, config.SETTINGS_ENCRYPTION_KEY, keyLayoutOf(redis, config.QUEUE_PREFIX).group('oauth-token'));
let shared: PushDeps | undefined;
const push = () => (shared ??= createPushDeps(prisma, integrations, config, logger, { throttle, tokens }));

/** Each role is one start function of its lib. */
const START = {
  ingest: () => startIngestRole(infra),
  push: () => startPushRole({ ...infra, push: push() }),
  retry: () => startRetryRole({ ...infra, push: push() }),
  sync: () => startSyncRole({ ...infra, adapters: new AdapterProvider(integrations, { ...adapterOptionsFrom(config), throttle: throttle.calls, tokens }) }),
} satisfies Record<Role, (() => RunningRole | Promise<RunningRole>) | undefined>;

const running: RunningRole[] = [];
for (const role of roles) {
  const start = START[role];
  if (start) running.push(await start());
}
logger.info({ roles, queues: running.flatMap((r) => r.queues) }, 'worker started');

// Probes (Kubernetes, the image's HEALTHCHECK): alive until shutdown starts; ready while Redis and PostgreSQL answer.
let stopping = false;
const health = config.WORKER_HEALTH_PORT
  ? await startHealthServer(config.WORKER_HEALTH_PORT, {
      alive: () => !stopping,
      services: { redis: () => redis.ping(), postgres: () => poolOf(prisma).query('SELECT 1') },
    }, logger)
  : undefined;

onShutdown(logger, async () => {
  stopping = true;
  await Promise.all(running.map((r) => r.close(7000)));
  await queues.close();
  redis.disconnect();
  await prisma.$disconnect();
  health?.close();
  logger.info('worker stopped');
});
