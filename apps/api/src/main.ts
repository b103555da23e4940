import { IncidentRepository } from '@rhx/db';
import { Queues, createRedisConnection, jobRetentionFrom } from '@rhx/queue';
import { bootstrap, onShutdown } from '@rhx/runtime';
import { AdapterProvider, adapterOptionsFrom } from '@rhx/push';
import { createMetrics } from './metrics.js';
import { buildServer } from './server.js';

const { config, logger, prisma, integrations } = await bootstrap('api', { poolSize: 20 });
if (!config.API_TOKEN && !config.API_TOKENS && config.NODE_ENV === 'production') {
  process.stderr.write('error: neither API_TOKEN nor API_TOKENS is set; set one, or run with NODE_ENV=development for a local trial\n');
  process.exit(1);
}
const redis = createRedisConnection(config.REDIS_URL, 'producer');
await redis.connect();
const queues = new Queues(redis, config.QUEUE_PREFIX, {
  retention: jobRetentionFrom(config),
  // BullMQ prints a queue's connection errors with console.error unless someone listens; they belong in the log.
  onError: (err) => logger.warn({ err: err.message }, 'queue connection error'),
});
const metrics = createMetrics(queues);
const adapterOptions = adapterOptionsFrom(config, redis);
const adapters = new AdapterProvider(integrations, adapterOptions);
const app = await buildServer({ config, prisma, incidents: new IncidentRepository(prisma), redis, queues, integrations, metrics, adapters }, logger);
await app.listen({ port: config.API_PORT, host: config.API_HOST });
logger.info(
  { url: `http://${config.API_HOST}:${config.API_PORT}`, bullBoard: Boolean(config.BULL_BOARD_USER), auth: Boolean(config.API_TOKEN || config.API_TOKENS) },
  'api listening',
);

onShutdown(logger, async () => {
  await app.close();
  await queues.close();
  redis.disconnect();
  await prisma.$disconnect();
});
