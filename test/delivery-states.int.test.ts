import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { createPrismaClient, poolOf, type PrismaClient } from '@rhx/db';
import { DeliveryRepository } from '@rhx/deliveries';
import { storedIncident } from '@rhx/push';
import { DELIVERY_EVENTS, DELIVERY_KINDS, DELIVERY_STATUSES, TRANSITIONS, mayStart, type DeliveryEvent, type DeliveryStatus } from '@rhx/domain';
import { createTestDatabase } from '@rhx/testing';

// The delivery state machine's table (libs/domain/delivery-states.ts) against PostgreSQL: every (status,
// event) pair, run through the named statement that writes it. Allowed pairs end in the table's status;
// refused ones leave the row exactly as it was. Each case gets its own incident and delivery, with no live
// lease and any retry already due, so only the status decides.

let db: { url: string; drop: () => Promise<void> };
let prisma: PrismaClient;
let pool: pg.Pool;
let repo: DeliveryRepository;
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  repo = new DeliveryRepository(prisma, 30_000, 0);
});
afterAll(async () => {
  await pool.end();
  // The statements ran on the driver adapter's pool; Prisma itself never connected.
  await poolOf(prisma).end();
  await db.drop();
});

interface Seeded {
  id: string;
  incidentId: string;
}

/** An incident with one delivery of `kind` in `status`; an update gets its ticket and risk change. */
async function seed(status: DeliveryStatus, kind: 'create' | 'update'): Promise<Seeded> {
  n += 1;
  const incidentId = `SM-${n}`;
  const payload = { id: incidentId, createdAt: '2026-11-01T00:00:00Z', actor: { name: 'a', type: 'user' }, risk: { score: 72 } };
  await pool.query(
    `INSERT INTO incidents (id, payload, severity, risk_score, actor_name, actor_type, source, occurred_at, ingested_at)
     VALUES ($1, $2, 'HIGH', 72, 'a', 'user', 'api', now(), now())`,
    [incidentId, JSON.stringify(payload)],
  );
  let change = '0';
  if (kind === 'update') {
    await pool.query(`INSERT INTO ticket_refs (incident_id, system, external_id, remote_id, url) VALUES ($1, 'jira', 'SEC-${n}', '${n}', 'https://j/browse/SEC-${n}')`, [incidentId]);
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO incident_history (incident_id, action, source, new_value) VALUES ($1, 'RISK_CHANGED', 'api', '{"score":90,"level":"CRITICAL"}') RETURNING id::text`,
      [incidentId],
    );
    change = rows[0]!.id;
  }
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO deliveries (id, incident_id, system, trigger, kind, risk_change_id, status, attempts, next_attempt_at)
     VALUES (gen_random_uuid(), $1, 'jira', 'auto', $2, $3::bigint, $4::text, 1, CASE WHEN $4::text = 'RETRY_WAIT' THEN now() - interval '1 second' END)
     RETURNING id::text`,
    [incidentId, kind, change, status],
  );
  return { id: rows[0]!.id, incidentId };
}

const settled = (s: Seeded) => ({ id: s.id, incidentId: s.incidentId, system: 'jira' as const, kind: 'create' as const });
const failure = { code: 'REMOTE_UNAVAILABLE', message: 'Jira answered 502', outcome: 'FAILED' as const };
const ref = (s: Seeded) => ({ system: 'jira' as const, externalId: `NEW-${s.incidentId}`, remoteId: '1', url: 'https://j/browse/NEW' });

/** Runs `event`'s named statement on the delivery, as its writer does. */
const RUN: Record<DeliveryEvent, (s: Seeded) => Promise<unknown>> = {
  lease: (s) => repo.leases.acquire(s.id, 'HIGH'),
  succeed: (s) => repo.recordTicket({ id: s.id, incidentId: s.incidentId, attempt: 1, generation: 1 }, ref(s), { action: 'TICKET_CREATED', message: 'made', details: {} }, 'HIGH'),
  retry: (s) => repo.recordFailure(settled(s), failure, { waitMs: 60_000, reason: 'backoff' }),
  fail: (s) => repo.recordFailure(settled(s), failure, undefined),
  defer: (s) => repo.defer(settled(s), 60_000),
  skip: (s) => repo.recordSkip(settled(s), 'disabled', 'jira is disabled'),
  supersede: (s) => repo.recordSuperseded({ ...settled(s), kind: 'update' }),
  redrive: (s) => repo.redrive(s.id, { kind: 'api', name: 'state-table' }),
};

// `supersede` is an update's event; every other runs on a create (a create's events do not need a ticket).
const kindFor = (event: DeliveryEvent) => (event === 'supersede' ? 'update' : 'create');

const row = async (id: string) => (await pool.query(`SELECT * FROM deliveries WHERE id = $1::uuid`, [id])).rows[0] as Record<string, unknown>;

const cases = DELIVERY_EVENTS.flatMap((event) => DELIVERY_STATUSES.map((status) => [event, status, mayStart(event, status)] as const));

describe('every (status, event) pair does what the transition table says', () => {
  test.each(cases)('%s from %s (allowed: %s)', async (event, status, allowed) => {
    const s = await seed(status, kindFor(event));
    const before = await row(s.id);
    await RUN[event](s);
    const after = await row(s.id);
    if (allowed) expect(after.status).toBe(TRANSITIONS[event].to);
    else expect(after).toEqual(before);
  });
});

describe('the schema keeps to the table', () => {
  test('a status or kind outside the table is refused by a CHECK constraint', async () => {
    const s = await seed('PENDING', 'create');
    await expect(pool.query(`UPDATE deliveries SET status = 'DONE' WHERE id = $1::uuid`, [s.id])).rejects.toMatchObject({ constraint: 'deliveries_status_check' });
    await expect(pool.query(`UPDATE deliveries SET kind = 'delete', risk_change_id = 1 WHERE id = $1::uuid`, [s.id])).rejects.toMatchObject({ constraint: 'deliveries_kind_check' });
    // An update or a resolve without the history row it carries, or a create with one, is not a delivery the machine knows.
    await expect(pool.query(`UPDATE deliveries SET kind = 'update' WHERE id = $1::uuid`, [s.id])).rejects.toMatchObject({ constraint: 'deliveries_cause_check' });
    await expect(pool.query(`UPDATE deliveries SET kind = 'resolve' WHERE id = $1::uuid`, [s.id])).rejects.toMatchObject({ constraint: 'deliveries_cause_check' });
  });

  test('the CHECK constraints name exactly the table’s statuses and kinds', async () => {
    const { rows } = await pool.query<{ name: string; def: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname IN ('deliveries_status_check', 'deliveries_kind_check')`,
    );
    const quoted = (def: string) => [...def.matchAll(/'([^']+)'/g)].map((m) => m[1]).sort();
    const defs = Object.fromEntries(rows.map((r) => [r.name, quoted(r.def)]));
    expect(defs.deliveries_status_check).toEqual([...DELIVERY_STATUSES].sort());
    expect(defs.deliveries_kind_check).toEqual([...DELIVERY_KINDS].sort());
  });
});

describe('a run’s read of its delivery', () => {
  test('runs reading at once share one statement, and each gets its own delivery (a gone one: nothing; the same one twice: both)', async () => {
    const seeded = await Promise.all(Array.from({ length: 12 }, (_, i) => seed(i % 3 === 0 ? 'RETRY_WAIT' : 'PENDING', i % 2 === 0 ? 'create' : 'update')));
    const gone = '00000000-0000-4000-8000-000000000000';
    const shared = poolOf(prisma);
    const query = shared.query.bind(shared);
    let reads = 0;
    shared.query = ((config: unknown, ...rest: unknown[]) => {
      if ((config as { name?: string } | undefined)?.name === 'rhx_delivery_load') reads += 1;
      return (query as (...a: unknown[]) => unknown)(config, ...rest);
    }) as typeof shared.query;
    try {
      const ids = [...seeded.map((s) => s.id), gone, seeded[0]!.id];
      const loaded = await Promise.all(ids.map((id) => repo.load(id)));
      expect(reads).toBe(1);
      expect(loaded.map((d) => d?.id)).toEqual([...seeded.map((s) => s.id), undefined, seeded[0]!.id]);
      expect(loaded.slice(0, 12).map((d) => [d!.incidentId, d!.kind, d!.status])).toEqual(
        seeded.map((s, i) => [s.incidentId, i % 2 === 0 ? 'create' : 'update', i % 3 === 0 ? 'RETRY_WAIT' : 'PENDING']));
      // Each carries its own incident and, for an update, its own change.
      expect(loaded.slice(0, 12).map((d) => (d!.payload as { id: string }).id)).toEqual(seeded.map((s) => s.incidentId));
      expect(loaded.filter((d) => d?.kind === 'update').every((d) => d!.change?.score === 90 && d!.ticket?.externalId.startsWith('SEC-'))).toBe(true);
    } finally {
      shared.query = query;
    }
  });

  test("an incident's deliveries read together carry it once: the statement sends it in one row, and both runs get that one object", async () => {
    const jira = await seed('PENDING', 'create');
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO deliveries (id, incident_id, system, trigger, kind, status) VALUES (gen_random_uuid(), $1, 'servicenow', 'auto', 'create', 'PENDING') RETURNING id::text`,
      [jira.incidentId],
    );
    const other = await seed('PENDING', 'create');
    const shared = poolOf(prisma);
    const query = shared.query.bind(shared);
    const sentPayloads: unknown[] = [];
    shared.query = (async (config: unknown, ...rest: unknown[]) => {
      const result = await (query as (...a: unknown[]) => Promise<{ rows: { payload: unknown }[] }>)(config, ...rest);
      if ((config as { name?: string } | undefined)?.name === 'rhx_delivery_load') sentPayloads.push(...result.rows.map((r) => r.payload).filter((p) => p !== null));
      return result;
    }) as typeof shared.query;
    try {
      const [a, b, c] = await Promise.all([repo.load(jira.id), repo.load(rows[0]!.id), repo.load(other.id)]);
      expect([a!.system, b!.system]).toEqual(['jira', 'servicenow']);
      expect(sentPayloads.map((p) => (p as { id: string }).id).sort()).toEqual([jira.incidentId, other.incidentId].sort());
      expect(a!.payload).toBe(b!.payload);
      expect((a!.payload as { id: string }).id).toBe(jira.incidentId);
      expect((c!.payload as { id: string }).id).toBe(other.incidentId);
      // Validated once for both runs, and the result is the stored incident's.
      expect(storedIncident(a!.payload)).toBe(storedIncident(b!.payload));
      expect(storedIncident(b!.payload)).toMatchObject({ id: jira.incidentId, origin: 'auto', risk: { score: 72 } });
    } finally {
      shared.query = query;
    }
  });
});
