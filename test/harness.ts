import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig, type Config } from '@rhx/config';
import { IncidentRepository, createPrismaClient, type PrismaClient } from '@rhx/db';
import { startIngestConsumer } from '@rhx/ingest';
import { createLogger, type Logger } from '@rhx/logger';
import { Queues, createRedisConnection, jobRetentionFrom, runningRole, type RedisClient, type RunningRole } from '@rhx/queue';
import { IntegrationSettingsStore, seedAutoPush } from '@rhx/settings';
import {
  AdapterProvider, DeliveryRepository, OutboxSweeper, adapterOptionsFrom, incidentLifecycle, createPushDeps, createPushThrottle, startRetryRole, startTicketPushConsumer,
} from '@rhx/push';
import { TEST_REDIS_URL, createTestDatabase, uniqueName } from '@rhx/testing';
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
  redis: RedisClient;
  logger: Logger;
  logs: LogCapture;
  incidents: IncidentRepository;
  integrations: IntegrationSettingsStore;
  app: Awaited<ReturnType<typeof buildServer>>;
  /** The push role's parts, started by the same functions as in a worker process, with concurrency 20. */
  startIngestWorker(): RunningRole;
  startPushWorker(options?: Parameters<typeof createPushDeps>[4]): RunningRole;
  /**
   * The retry role (its start function): ticket-retry jobs and the reconciler's runs (grace 0). Unlike a
   * worker process it registers no schedule and sweeps nothing at start: tests drive the reconciler.
   */
  startRetryWorker(options?: Parameters<typeof createPushDeps>[4]): Promise<RunningRole>;
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
    // The simulators' searches see a new ticket at once unless a test lags them; it sets its own settle time then.
    UNKNOWN_OUTCOME_SETTLE_SECONDS: '0',
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
  const queues = new Queues(redis, config.QUEUE_PREFIX, { retention: jobRetentionFrom(config), onError: (err) => logger.debug({ err: err.message }, 'queue connection error') });
  const incidents = new IncidentRepository(prisma);
  const adapterOptions = adapterOptionsFrom(config, redis);
  // As in production: the API's provider re-reads other processes' changes every second and its own at once.
  const adapters = new AdapterProvider(integrations, adapterOptions);
  const app = await buildServer(
    { config, prisma, incidents, redis, queues, integrations, metrics: createMetrics(queues), adapters },
    logger,
  );
  const running: (RunningRole | Promise<RunningRole>)[] = [];
  const started = <R extends RunningRole | Promise<RunningRole>>(role: R): R => (running.push(role), role);
  // Workers of one harness share the fleet-wide throttle, as the processes of a fleet do through Redis.
  const throttle = createPushThrottle(redis, config);
  const infra = { config, logger, prisma, incidents, integrations, queues, redis, lifecycle: incidentLifecycle(prisma, integrations, config, queues, logger) };
  const pushDeps = (options: Parameters<typeof createPushDeps>[4] = {}) =>
    createPushDeps(prisma, integrations, config, logger, { settingsTtlMs: 0, throttle, ...(adapterOptions.tokens ? { tokens: adapterOptions.tokens } : {}), ...options });
  return {
    config, prisma, queues, redis, logger, logs, incidents, integrations, app,
    startIngestWorker() {
      return started(runningRole([startIngestConsumer(infra, { concurrency: 20, policyTtlMs: 0 })]));
    },
    startPushWorker(options = {}) {
      return started(runningRole([startTicketPushConsumer({ ...infra, push: pushDeps(options) }, 20)]));
    },
    startRetryWorker(options = {}) {
      return started(startRetryRole({ ...infra, push: pushDeps(options), concurrency: 20, reconciler: { graceMs: 0, schedule: false } }));
    },
    sweeper(graceMs = 0) {
      return new OutboxSweeper(incidents, new DeliveryRepository(prisma), queues, logger, graceMs);
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
      await Promise.all(running.map(async (role) => (await role).close(5000)));
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

/**
 * `call(method, url, payload?)` on the harness's API with the bearer token and a JSON body; every answer's
 * body is kept in `responses`, for the tests that check no secret ever appears in one.
 */
export function apiCaller(harness: () => Harness) {
  const responses: string[] = [];
  async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) {
    const res = await harness().app.inject({ method, url, headers: { ...auth, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload: payload as object }) });
    responses.push(res.body);
    return res;
  }
  return { call, responses };
}
