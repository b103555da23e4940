import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';

export { PrismaClient, Prisma } from './generated/prisma/client.js';

const pools = new WeakMap<PrismaClient, pg.Pool>();

/** A Prisma client on the driver adapter (no native engine). `poolSize` bounds PostgreSQL connections. */
export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5000 });
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
