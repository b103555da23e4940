import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { auth, startHarness, type Harness } from './harness.js';
import { seedDelivery, seedIncidents } from './delivery-rows.js';

// The read side of deliveries: the list (filters, newest first, keyset pages), one delivery with every
// attempt, the 400s and 404s, and the delivery gauges on /metrics.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type Page = { items: { id: string; incidentId: string; system: string; status: string; createdAt: string }[]; nextCursor: string | null };
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: auth });
const list = async (query: string): Promise<Page> => {
  const res = await get(`/v1/deliveries?${query}`);
  expect(res.statusCode).toBe(200);
  return res.json();
};
const at = (second: number) => new Date(Date.UTC(2026, 10, 1, 0, 0, second));

describe('GET /v1/deliveries filters, newest first', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    await seedIncidents(h, ['F-1', 'F-2', 'F-3']);
    ids.oldJira = await seedDelivery(h, { incidentId: 'F-1', status: 'FAILED', createdAt: at(1), lastError: 'Jira said no', lastErrorCode: 'INVALID_REQUEST', attempts: 1 });
    ids.snow = await seedDelivery(h, { incidentId: 'F-1', system: 'servicenow', status: 'RETRY_WAIT', createdAt: at(2), nextAttemptAt: at(100), attempts: 2 });
    ids.newJira = await seedDelivery(h, { incidentId: 'F-2', status: 'FAILED', createdAt: at(3) });
    ids.ok = await seedDelivery(h, { incidentId: 'F-3', status: 'SUCCEEDED', createdAt: at(4) });
  });

  test('unfiltered: every delivery, newest first, with attempts, last error and next attempt time', async () => {
    const page = await list('');
    expect(page.items.map((d) => d.id)).toEqual([ids.ok, ids.newJira, ids.snow, ids.oldJira]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[2]).toEqual({
      id: ids.snow, incidentId: 'F-1', system: 'servicenow', status: 'RETRY_WAIT', trigger: 'auto', kind: 'create', generation: 1, attempts: 2,
      lastError: null, lastErrorCode: null, nextAttemptAt: at(100).toISOString(), createdAt: at(2).toISOString(),
      updatedAt: expect.any(String), ticket: null,
    });
    expect(page.items[3]).toMatchObject({ lastError: 'Jira said no', lastErrorCode: 'INVALID_REQUEST', attempts: 1 });
  });

  test.each([
    ['status=FAILED', ['newJira', 'oldJira']],
    ['system=servicenow', ['snow']],
    ['incidentId=F-1', ['snow', 'oldJira']],
    ['status=FAILED&system=jira&incidentId=F-2', ['newJira']],
    ['status=SKIPPED', []],
  ])('%s', async (query, expected) => {
    expect((await list(query)).items.map((d) => d.id)).toEqual(expected.map((k) => ids[k]));
  });

  test('a succeeded delivery carries its ticket reference', async () => {
    await h.prisma.ticketRef.create({ data: { incidentId: 'F-3', system: 'jira', externalId: 'SEC-7', remoteId: '10007', url: 'https://jira.example/browse/SEC-7' } });
    const [item] = (await list('status=SUCCEEDED')).items;
    expect(item).toMatchObject({ id: ids.ok, ticket: { externalId: 'SEC-7', url: 'https://jira.example/browse/SEC-7' } });
  });
});

describe('GET /v1/deliveries/:id', () => {
  test('every attempt, oldest first: start, end, outcome, code, HTTP status, remote message, wait and why', async () => {
    await seedIncidents(h, ['D-1']);
    const id = await seedDelivery(h, { incidentId: 'D-1', status: 'RETRY_WAIT', attempts: 2, nextAttemptAt: at(500), lastError: 'Rate limit exceeded', lastErrorCode: 'RATE_LIMITED' });
    await h.prisma.deliveryAttempt.createMany({ data: [
      { deliveryId: id, number: 2, outcome: 'FAILED', error: 'Rate limit exceeded', code: 'RATE_LIMITED', httpStatus: 429, waitMs: 30_000, waitReason: 'retry-after', startedAt: at(20), finishedAt: at(21) },
      { deliveryId: id, number: 1, outcome: 'UNKNOWN', error: 'socket hang up', code: 'REMOTE_UNAVAILABLE', waitMs: 60_000, waitReason: 'backoff', startedAt: at(10), finishedAt: at(11) },
    ] });
    const res = await get(`/v1/deliveries/${id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id, incidentId: 'D-1', status: 'RETRY_WAIT', nextAttemptAt: at(500).toISOString(), lastErrorCode: 'RATE_LIMITED' });
    expect(body.attempts).toEqual([
      { number: 1, startedAt: at(10).toISOString(), finishedAt: at(11).toISOString(), outcome: 'UNKNOWN', code: 'REMOTE_UNAVAILABLE', httpStatus: null, message: 'socket hang up', waitMs: 60_000, waitReason: 'backoff', level: null },
      { number: 2, startedAt: at(20).toISOString(), finishedAt: at(21).toISOString(), outcome: 'FAILED', code: 'RATE_LIMITED', httpStatus: 429, message: 'Rate limit exceeded', waitMs: 30_000, waitReason: 'retry-after', level: null },
    ]);
  });

  test('a delivery not yet attempted has an empty attempt list', async () => {
    await seedIncidents(h, ['D-2']);
    const id = await seedDelivery(h, { incidentId: 'D-2' });
    expect((await get(`/v1/deliveries/${id}`)).json()).toMatchObject({ id, status: 'PENDING', attempts: [] });
  });

  test('a well-formed unknown id is 404 DELIVERY_NOT_FOUND; a malformed one is 400 naming id', async () => {
    const missing = await get('/v1/deliveries/0b6c1e8a-3f3e-4b7a-9a53-1d2f3e4a5b6c');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('DELIVERY_NOT_FOUND');
    for (const bad of ['not-a-uuid', '0b6c1e8a-3f3e-4b7a-9a53-1d2f3e4a5b6', 'x'.repeat(500)]) {
      const res = await get(`/v1/deliveries/${bad}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'INVALID_INPUT', details: [{ path: 'id', message: expect.any(String) }] });
    }
  });
});

describe('a bad query is 400 naming the field', () => {
  test.each([
    ['status=DONE', 'status'],
    ['status=failed', 'status'],
    ['system=email', 'system'],
    ['incidentId=a%20b', 'incidentId'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['cursor=%25%25', 'cursor'],
    ['status=FAILED&status=SKIPPED', 'status'],
  ])('%s', async (query, field) => {
    const res = await get(`/v1/deliveries?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_INPUT', details: [{ path: field, message: expect.any(String) }] });
  });

  test('a misspelt filter is refused, not ignored', async () => {
    const res = await get('/v1/deliveries?stauts=FAILED');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('stauts');
  });
});

describe('keyset paging', () => {
  const INCIDENTS = Array.from({ length: 40 }, (_, i) => `P-${i}`);
  let expected: string[];
  beforeAll(async () => {
    await h.prisma.delivery.deleteMany();
    await seedIncidents(h, INCIDENTS);
    // 80 deliveries, eight at each instant: ties on created_at fall across page boundaries.
    const made: { id: string; createdAt: Date }[] = [];
    for (const [i, incidentId] of INCIDENTS.entries()) {
      for (const system of ['jira', 'servicenow'] as const) {
        const createdAt = at(Math.floor((i * 2 + (system === 'jira' ? 0 : 1)) / 8));
        const status = i % 3 === 0 ? 'FAILED' : 'SUCCEEDED';
        made.push({ id: await seedDelivery(h, { incidentId, system, status, createdAt }), createdAt });
      }
    }
    expected = made.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((d) => d.id);
  });

  async function walk(query: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    return { ids, pages };
  }

  test('pages of 7 walk all 80 newest first, each once, and the last page says so', async () => {
    const { ids, pages } = await walk('limit=7');
    expect(ids).toEqual(expected);
    expect(pages).toBe(12);
  });

  test('a filter holds across pages', async () => {
    const { ids } = await walk('limit=3&status=FAILED');
    const failed = await h.prisma.delivery.findMany({ where: { status: 'FAILED' }, select: { id: true } });
    expect(ids).toEqual(expected.filter((id) => failed.some((f) => f.id === id)));
    expect(ids).toHaveLength(28);
  });

  test('a page exactly filled has no empty page after it', async () => {
    const page = await list('limit=80');
    expect(page.items).toHaveLength(80);
    expect(page.nextCursor).toBeNull();
  });

  test('deliveries created while paging do not shift later pages (no duplicate, no gap)', async () => {
    const first = await list('limit=10');
    await seedIncidents(h, ['P-NEW']);
    await seedDelivery(h, { incidentId: 'P-NEW' });
    const second = await list(`limit=10&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((d) => d.id)).toEqual(expected.slice(0, 20));
  });
});

describe('/metrics', () => {
  test('deliveries by system, kind and status, attempts by outcome, and the retry backlog, from the database', async () => {
    await h.prisma.delivery.deleteMany();
    await seedIncidents(h, ['M-1', 'M-2', 'M-3']);
    const failed = await seedDelivery(h, { incidentId: 'M-1', status: 'FAILED', attempts: 2 });
    await seedDelivery(h, { incidentId: 'M-2', status: 'FAILED' });
    await seedDelivery(h, { incidentId: 'M-1', system: 'servicenow', status: 'RETRY_WAIT', nextAttemptAt: new Date(Date.now() - 1000) });
    await seedDelivery(h, { incidentId: 'M-2', system: 'servicenow', status: 'RETRY_WAIT', nextAttemptAt: new Date(Date.now() + 3_600_000) });
    await seedDelivery(h, { incidentId: 'M-3', system: 'servicenow', status: 'RETRY_WAIT', nextAttemptAt: new Date(Date.now() + 3_600_000) });
    await h.prisma.deliveryAttempt.createMany({ data: [
      { deliveryId: failed, number: 1, outcome: 'UNKNOWN' },
      { deliveryId: failed, number: 2, outcome: 'FAILED' },
    ] });
    const text = (await get('/metrics')).body;
    expect(text).toContain('rhx_deliveries{system="jira",kind="create",status="FAILED"} 2');
    expect(text).toContain('rhx_deliveries{system="servicenow",kind="create",status="RETRY_WAIT"} 3');
    expect(text).toContain('rhx_deliveries{system="jira",kind="create",status="SUCCEEDED"} 0');
    // Updates are counted apart from creates: a failed escalation is not a missing ticket.
    expect(text).toContain('rhx_deliveries{system="jira",kind="update",status="FAILED"} 0');
    expect(text).toContain('rhx_delivery_attempts{system="jira",outcome="FAILED"} 1');
    expect(text).toContain('rhx_delivery_attempts{system="jira",outcome="UNKNOWN"} 1');
    expect(text).toContain('rhx_delivery_attempts{system="servicenow",outcome="FAILED"} 0');
    expect(text).toContain('rhx_retry_backlog{system="servicenow"} 3');
    expect(text).toContain('rhx_retry_backlog{system="jira"} 0');
    expect(text).toContain('rhx_retry_backlog_due{system="servicenow"} 1');
  });
});
