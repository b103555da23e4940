import pg from 'pg';
import { createCheckConnection, redactUrl } from '@rhx/queue';

/** A backing service that cannot be reached at start; its message is the one line an operator sees. */
export class UnreachableServiceError extends Error {
  constructor(service: 'Redis' | 'PostgreSQL', url: string, variable: string, cause: unknown) {
    const reason = cause instanceof Error ? (cause as NodeJS.ErrnoException).code ?? cause.message : String(cause);
    super(
      `cannot reach ${service} at ${redactUrl(url)} (${reason}); start one with "docker compose up -d" or set ${variable}`,
    );
    this.name = 'UnreachableServiceError';
  }
}

/** One PING with no reconnection attempts, so a dead Redis is reported in seconds. */
export async function checkRedis(url: string, timeoutMs = 4000): Promise<void> {
  const redis = createCheckConnection(url, timeoutMs);
  let socketError: unknown;
  redis.on('error', (err) => (socketError ??= err)); // the rejected connect only says "Connection is closed"
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new UnreachableServiceError('Redis', url, 'REDIS_URL', socketError ?? err);
  } finally {
    redis.disconnect();
  }
}

/** Connects to the server's maintenance database (the app database may not exist yet: migrations create it). */
export async function checkPostgres(url: string, timeoutMs = 4000): Promise<void> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new UnreachableServiceError('PostgreSQL', url, 'DATABASE_URL', err);
  } finally {
    await client.end().catch(() => {});
  }
}
