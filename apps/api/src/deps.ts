import type { Config } from '@rhx/config';
import type { IncidentRepository, PrismaClient } from '@rhx/db';
import type { Queues, RedisClient } from '@rhx/queue';
import type { IntegrationSettingsStore } from '@rhx/settings';
import type { AdapterProvider } from '@rhx/push';
import type { Metrics } from './metrics.js';

/** Everything the routes use, built once by main.ts (or by a test). */
export interface ApiDeps {
  config: Config;
  prisma: PrismaClient;
  incidents: IncidentRepository;
  /** Producer-side connection: fails fast instead of queueing commands while Redis is away. */
  redis: RedisClient;
  queues: Queues;
  integrations: IntegrationSettingsStore;
  metrics: Metrics;
  adapters: AdapterProvider;
}
