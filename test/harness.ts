import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { parseConfig, type Config } from '@rhx/config';
import { IncidentRepository, createPrismaClient, type PrismaClient } from '@rhx/db';
import { OutboxSweeper, createIngestDeps, processIncidentCreated } from '@rhx/ingest';
import { createLogger, type Logger } from '@rhx/logger';
import { QUEUE_NAMES, Queues, createRedisConnection } from '@rhx/queue';
import { IntegrationSettingsStore, seedAutoPush } from '@rhx/settings';
import { AdapterProvider, adapterOptionsFrom, createPushDeps, deliveryBackoff, ticketPushHandler, ticketRetryHandler } from '@rhx/push';
import { TEST_REDIS_URL, createTestDatabase, uniqueName } from '@rhx/testing';
import { ADAPTER_MAX_WAIT_MS, ThrottledTime, adapterThrottle, createSystemThrottle } from '@rhx/throttle';
import { startConsumer, closeWorker } from '../apps/worker/src/consumers.js';
import { createMetrics } from '../apps/api/src/metrics.js';
import { buildServer } from '../apps/api/src/server.js';

export const FIXTURES_DIR = join(process.cwd(), '..', 'shared', 'fixtures', 'incidents');
export const fixtureNames = () => readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.json')).sort();
export const invalidFixtureNames = () => readdirSync(join(FIXTURES_DIR, 'invalid')).filter((f) => f.endsWith('.json')).sort();
export const readFixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8')) as Record<string, unknown> & { id: string };
export const readRaw = (name: string) => readFileSync(join(FIXTURES_DIR, name), 'utf8');

/** Every log line a harness wrote, for secret-leak checks. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.lines.push(chunk.toString());
    done();
  }
}

export interface Harness {
  config: Config;
  prisma: PrismaClient;
  queues: Queues;
  redis: Redis;
  logger: Logger;
  logs: LogCapture;
  incidents: IncidentRepository;
  integrations: IntegrationSettingsStore;
  app: Awaited<ReturnType<typeof buildServer>>;
  startIngestWorker(): Worker;
  startPushWorker(options?: Parameters<typeof createPushDeps>[4]): Worker;
  /** The retry role: ticket-retry jobs and the reconciler's runs (grace 0). */
  startRetryWorker(options?: Parameters<typeof createPushDeps>[4]): Worker;
  sweeper(graceMs?: number): OutboxSweeper;
  /** Waits until `check` returns truthy (polling), or fails after `timeoutMs`. */
  eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export const API_TOKEN = 'test-token-0123456789abcdef';

/** A database, a queue prefix, the API (driven with inject) and on demand an in-process ingest worker. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueName('rhxt'),
    API_TOKEN,
    BULL_BOARD_USER: 'operator',
    BULL_BOARD_PASSWORD: 'board-pass-123',
    SETTINGS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'debug',
    // The simulators listen on loopback; a test that checks the host rule passes its own value.
    INTEGRATION_ALLOWED_HOSTS: '127.0.0.1',
    ...env,
  });
  const logs = new LogCapture();
  const logger = createLogger({ name: 'test', level: config.LOG_LEVEL, destination: logs });
  const prisma = createPrismaClient(config.DATABASE_URL, 10);
  const integrations = new IntegrationSettingsStore(prisma, config.SETTINGS_ENCRYPTION_KEY);
  await seedAutoPush(prisma, config);
  await integrations.seed(config);
  const redis = createRedisConnection(config.REDIS_URL, 'producer');
  await redis.connect();
  const queues = new Queues(redis, config.QUEUE_PREFIX);
  const incidents = new IncidentRepository(prisma);
  const adapterOptions = adapterOptionsFrom(config);
  // As in production: the API's provider re-reads other processes' changes every second and its own at once.
  const adapters = new AdapterProvider(integrations, adapterOptions);
  const app = await buildServer(
    { config, prisma, incidents, redis, queues, integrations, metrics: createMetrics(queues), adapters },
    logger,
  );
  const workers: Worker[] = [];
  // Workers of one harness share the fleet-wide throttle, as the processes of a fleet do through Redis.
  const waited = new ThrottledTime(redis, config.QUEUE_PREFIX);
  const throttle = { calls: adapterThrottle(createSystemThrottle(redis, config, { onThrottled: (s, ms) => waited.add(s, ms) })), maxWaitMs: ADAPTER_MAX_WAIT_MS };
  return {
    config, prisma, queues, redis, logger, logs, incidents, integrations, app,
    startIngestWorker() {
      const deps = createIngestDeps({ prisma, incidents, integrations, queues, redis }, logger, { policyTtlMs: 0 });
      const worker = startConsumer(config, logger, QUEUE_NAMES.incidentEvents, { 'incident-created': (p) => processIncidentCreated(deps, p) }, 20);
      workers.push(worker);
      return worker;
    },
    startPushWorker(options = {}) {
      const deps = createPushDeps(prisma, integrations, config, logger, { settingsTtlMs: 0, throttle, ...options });
      const worker = startConsumer(config, logger, QUEUE_NAMES.ticketPush, { 'ticket-push': ticketPushHandler(deps, queues) }, 20);
      workers.push(worker);
      return worker;
    },
    startRetryWorker(options = {}) {
      const deps = createPushDeps(prisma, integrations, config, logger, { settingsTtlMs: 0, throttle, ...options });
      const sweeper = new OutboxSweeper(incidents, queues, logger, 0);
      const handlers = { 'ticket-retry': ticketRetryHandler(deps), 'delivery-reconcile': () => sweeper.sweepOnce() };
      const worker = startConsumer(config, logger, QUEUE_NAMES.ticketRetry, handlers, 20, { settings: { backoffStrategy: deliveryBackoff(deps.retry) } });
      workers.push(worker);
      return worker;
    },
    sweeper(graceMs = 0) {
      return new OutboxSweeper(incidents, queues, logger, graceMs);
    },
    async eventually(check, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value) return value;
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await Promise.all(workers.map((w) => closeWorker(w, 5000)));
      await app.close();
      await Promise.all(queues.all().map((q) => q.obliterate({ force: true })));
      await queues.close();
      redis.disconnect();
      await prisma.$disconnect();
      await db.drop();
    },
  };
}

export const auth = { authorization: `Bearer ${API_TOKEN}` };

/** Job counts over every queue, summed per state. */
export async function queueTotals(queues: Queues): Promise<number> {
  let total = 0;
  for (const q of queues.all()) {
    const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    total += Object.values(counts).reduce((a, b) => a + b, 0);
  }
  return total;
}
