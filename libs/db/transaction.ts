import type pg from 'pg';

/**
 * Runs `work` in one transaction on a client of its own: committed when it returns (or rolled back when
 * `keep` says its result changed nothing worth keeping), rolled back when it throws, the client released
 * either way. A failed ROLLBACK (the connection is gone) is not reported over the error that caused it.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, keep: (result: T) => boolean = () => true): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query(keep(result) ? 'COMMIT' : 'ROLLBACK');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
