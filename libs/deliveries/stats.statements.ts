import type pg from 'pg';

// Read at scrape time, one grouped statement each. Deliveries are one row per incident and system, so
// even a 100,000-row table is a few milliseconds of sequential scan.

/** Deliveries per system, kind and status. */
export async function deliveryCounts(pool: pg.Pool): Promise<{ system: string; kind: string; status: string; count: number }[]> {
  const { rows } = await pool.query<{ system: string; kind: string; status: string; count: number }>(
    `SELECT system, kind, status, count(*)::int AS count FROM deliveries GROUP BY system, kind, status`,
  );
  return rows;
}

/** Attempts recorded per system and outcome (every attempt ever started, as rows of `delivery_attempts`). */
export async function attemptCounts(pool: pg.Pool): Promise<{ system: string; outcome: string; count: number }[]> {
  const { rows } = await pool.query<{ system: string; outcome: string; count: number }>(
    `SELECT d.system, a.outcome, count(*)::int AS count
     FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id GROUP BY d.system, a.outcome`,
  );
  return rows;
}

/** Deliveries waiting to retry per system, and how many of them are already due (`next_attempt_at` passed). */
export async function retryBacklog(pool: pg.Pool): Promise<{ system: string; waiting: number; due: number }[]> {
  const { rows } = await pool.query<{ system: string; waiting: number; due: number }>(
    `SELECT system, count(*)::int AS waiting, count(*) FILTER (WHERE next_attempt_at <= now())::int AS due
     FROM deliveries WHERE status = 'RETRY_WAIT' GROUP BY system`,
  );
  return rows;
}
