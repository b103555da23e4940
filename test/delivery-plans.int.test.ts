// The batch statements of the push path against a database like a running fleet's: many earlier
// deliveries, statistics taken when few waited, then a backlog queued (an outage's, a burst's). PostgreSQL
// keeps one generic plan per prepared statement; these check that plan, as the fleet's connections run it,
// finds the batch's deliveries by id and never reads the backlog through the status index.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import pg from 'pg';
import { DeliveryLeases } from '@rhx/deliveries';
import { recordTickets } from '../libs/deliveries/settle.statements.js';
import { createTestDatabase } from '@rhx/testing';

let db: { url: string; drop: () => Promise<void> };
let client: pg.Client;
let waiting: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  // Earlier days: 4,000 incidents, each pushed (SUCCEEDED), then analyzed: the statistics say none waits.
  await client.query(
    `WITH i AS (
       INSERT INTO incidents (id, payload, severity, risk_score, actor_name, actor_type, source, occurred_at, ingested_at)
       SELECT 'OLD-' || g, '{}', 'HIGH', 72, 'a', 'user', 'api', now(), now() FROM generate_series(1, 4000) g RETURNING id
     ) INSERT INTO deliveries (id, incident_id, system, trigger, kind, status, attempts) SELECT gen_random_uuid(), id, 'jira', 'auto', 'create', 'SUCCEEDED', 1 FROM i`,
  );
  await client.query('VACUUM (ANALYZE)');
  // Then a backlog the statistics do not know of.
  await client.query(`INSERT INTO incidents (id, payload, severity, risk_score, actor_name, actor_type, source, occurred_at, ingested_at)
    SELECT 'NEW-' || g, '{}', 'HIGH', 72, 'a', 'user', 'api', now(), now() FROM generate_series(1, 3000) g`);
  const { rows } = await client.query<{ id: string }>(`INSERT INTO deliveries (id, incident_id, system, trigger, kind, status)
    SELECT gen_random_uuid(), 'NEW-' || g, 'jira', 'auto', 'create', 'PENDING' FROM generate_series(1, 3000) g RETURNING id::text`);
  waiting = rows.map((r) => r.id);
});
afterAll(async () => {
  await client.end();
  await db.drop();
});

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Shared Hit Blocks'?: number; Plans?: PlanNode[] }
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/** The statement `send` would run, as the fleet's generic plan: its scans of `deliveries` and the blocks it read. */
async function genericPlan(name: string, send: (pool: pg.Pool) => Promise<unknown>): Promise<{ deliveryScans: string[]; blocks: number }> {
  let captured: pg.QueryConfig | undefined;
  const capture = { query: async (config: pg.QueryConfig) => { captured = config; throw new Error('captured'); } } as unknown as pg.Pool;
  await send(capture).catch(() => undefined);
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
    await client.query(`PREPARE ${name} AS ${captured!.text}`);
    // EXECUTE takes no bound parameters: the values go in as literals.
    const args = captured!.values!.map((v) => (v === null ? 'NULL' : client.escapeLiteral(String(v)))).join(', ');
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE ${name}(${args})`);
    const plan = rows[0]!['QUERY PLAN'][0].Plan;
    const deliveryScans = nodes(plan).filter((n) => n['Relation Name'] === 'deliveries' && n['Node Type'].includes('Scan')).map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''}`.trim());
    return { deliveryScans, blocks: plan['Shared Hit Blocks'] ?? 0 };
  } finally {
    await client.query('ROLLBACK');
  }
}

test('the lease takes a batch of 8 from a backlog of 3,000 by id: the primary key, a few hundred blocks', async () => {
  const batch = waiting.slice(0, 8);
  const { deliveryScans, blocks } = await genericPlan('lease', (pool) => Promise.all(batch.map((id) => new DeliveryLeases(pool, 30_000, 0).acquire(id, 'HIGH'))));
  expect(deliveryScans.length).toBeGreaterThan(0);
  expect(deliveryScans.filter((s) => !s.includes('deliveries_pkey') && !s.includes('deliveries_key'))).toEqual([]);
  expect(blocks).toBeLessThan(1000);
});

test('the settle records 8 tickets of that backlog by id too', async () => {
  const items = waiting.slice(10, 18).map((id, i) => ({
    d: { id, incidentId: `NEW-${11 + i}`, attempt: 1, generation: 1 },
    ref: { system: 'jira' as const, externalId: `SEC-${i}`, remoteId: String(i), url: `https://j/browse/SEC-${i}` },
    history: { action: 'TICKET_CREATED' as const, message: 'made', details: {} },
    level: 'HIGH' as const,
  }));
  const { deliveryScans, blocks } = await genericPlan('settle', (pool) => recordTickets(pool, items));
  expect(deliveryScans.length).toBeGreaterThan(0);
  expect(deliveryScans.filter((s) => !s.includes('deliveries_pkey') && !s.includes('deliveries_key'))).toEqual([]);
  expect(blocks).toBeLessThan(1000);
});
