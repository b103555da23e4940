import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';

export { PrismaClient, Prisma } from './generated/prisma/client.js';

const pools = new WeakMap<PrismaClient, pg.Pool>();

/**
 * Where a pooler lends a server connection for one transaction only (PgBouncer's transaction mode; 1.18
 * keeps no prepared statements across them), a named statement prepared on one connection is unknown,
 * or already taken, on the next: every statement goes unnamed (PostgreSQL parses it each run).
 */
class UnnamedStatementsClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [config] = args;
    if (config && typeof config === 'object' && 'name' in config) {
      const { name: _name, ...unnamed } = config as pg.QueryConfig;
      args[0] = unnamed;
    }
    return (pg.Client.prototype.query as (...a: unknown[]) => never).apply(this, args);
  }
}

export interface PoolOptions {
  /** Connections to PostgreSQL (or to the pooler) this process keeps at most. */
  poolSize?: number;
  /** A pooler in transaction mode sits in between: no named prepared statements. */
  transactionPooler?: boolean;
}

/** A Prisma client on the driver adapter (no native engine). `poolSize` bounds PostgreSQL connections. */
export function createPrismaClient(databaseUrl: string, poolSize: number | PoolOptions = 10): PrismaClient {
  const options = typeof poolSize === 'number' ? { poolSize } : poolSize;
  const pool = new pg.Pool({
    connectionString: databaseUrl, max: options.poolSize ?? 10, connectionTimeoutMillis: 5000,
    ...(options.transactionPooler ? { Client: UnnamedStatementsClient } : {}),
  });
  // An idle connection the server ends (a restart, a failover, a dropped database) is an 'error' on the
  // pool, which would otherwise crash the process: the pool drops that client, and the next query opens a
  // new connection or fails where it is made, with its own error.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(prisma, pool);
  return prisma;
}

/**
 * The driver adapter's own connection pool, for the few set-based statements on the hot path that
 * carry hundreds of kilobytes of JSON: through `pg` directly they cost about half the CPU and none of
 * the query compiler's WebAssembly memory (which grows with the largest parameter and never shrinks).
 */
export function poolOf(prisma: PrismaClient): pg.Pool {
  const pool = pools.get(prisma);
  if (!pool) throw new Error('this Prisma client was not made by createPrismaClient');
  return pool;
}
