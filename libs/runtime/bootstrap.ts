import { ConfigError, loadConfig, type Config } from '@rhx/config';
import { createPrismaClient, ensureDatabase, pendingMigrations, type PrismaClient } from '@rhx/db';
import { migrateInChildProcess } from './migrate-child.js';
import { createLogger, type Logger } from '@rhx/logger';
import { IntegrationSettingsStore, seedAutoPush } from '@rhx/settings';
import { UnreachableServiceError, checkPostgres, checkRedis } from './infrastructure.js';

export interface Runtime {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  integrations: IntegrationSettingsStore;
}

/**
 * What every process does first: read the configuration, check Redis and PostgreSQL are there,
 * apply pending migrations, seed settings from the environment. Any failure prints one line (or the
 * list of configuration problems) and exits non-zero, never a stack trace.
 */
export async function bootstrap(name: string, options: { poolSize?: number } = {}): Promise<Runtime> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) die(err.message);
    throw err;
  }
  const logger = createLogger({ name, level: config.LOG_LEVEL });
  try {
    await Promise.all([checkPostgres(config.DATABASE_URL), checkRedis(config.REDIS_URL)]);
    // Before anything connects to it: a pooler remembers a login to a database not there yet and refuses
    // the database for a while after (PgBouncer's server_login_retry, 15 s), well past a fresh start.
    await ensureDatabase(config.DATABASE_URL);
    // Only when something may be pending: the engine's child costs a process start (it runs under a lock,
    // so a migration another process is applying shows as pending here and is waited for there).
    const pending = await pendingMigrations(config.DATABASE_URL);
    if (pending === null || pending.length > 0) {
      const applied = await migrateInChildProcess(config.DATABASE_URL);
      if (applied.length > 0) logger.info({ migrations: applied }, 'database migrations applied');
    }
  } catch (err) {
    if (err instanceof UnreachableServiceError) die(err.message);
    throw err;
  }
  const prisma = createPrismaClient(config.DATABASE_URL, {
    poolSize: config.DATABASE_POOL_SIZE ?? options.poolSize, transactionPooler: config.DATABASE_POOLER === 'transaction',
  });
  const integrations = new IntegrationSettingsStore(prisma, config.SETTINGS_ENCRYPTION_KEY);
  await seedAutoPush(prisma, config);
  await integrations.seed(config);
  return { config, logger, prisma, integrations };
}

function die(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/**
 * Runs `shutdown` once on SIGTERM or SIGINT, then exits 0; exits 1 if it has not finished in `limitMs`.
 */
export function onShutdown(logger: Logger, shutdown: () => Promise<void>, limitMs = 9000): void {
  let started = false;
  const handler = (signal: string) => {
    if (started) return;
    started = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, limitMs).unref();
    shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
