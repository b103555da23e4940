import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';

export { PrismaClient, Prisma } from './generated/prisma/client.js';

const pools = new WeakMap<PrismaClient, pg.Pool>();

/** A Prisma client on the driver adapter (no native engine). `poolSize` bounds PostgreSQL connections. */
export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5000 });
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
