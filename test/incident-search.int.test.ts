import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { auth, startHarness, type Harness } from './harness.js';

// Issue 18: finding an incident. GET /v1/incidents (and the console's list, which calls the same code)
// searches by incident id, ticket key, actor and entity, sorts by score or receipt, filters by analyst status
// and raised time, and pages through each order without gaps or repeats.
let h: Harness;
const list = async (query: string) => h.app.inject({ method: 'GET', url: `/v1/incidents${query}`, headers: auth });
const ids = async (query: string) => {
  const res = await list(query);
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: { id: string }[] }).items.map((i) => i.id);
};

beforeAll(async () => {
  h = await startHarness();
  const rows: [string, number, string, string, string][] = [
    // id, score, actor, entity, analyst status
    ['INC-2026-0101', 95, 'k.lee', 'WKS-ENG-117', 'NEW'],
    ['INC-2026-0102', 40, 'svc_backup', 'SRV-DB-02', 'IN_PROGRESS'],
    ['INC-2026-0103', 72, 'j.doe', 'WKS-FIN-009', 'CLOSED'],
    ['INC-2026-0104', 72, '100%_admin', 'WKS-ENG-220', 'NEW'],
    ['INC-2026-0105', 12, 'K.LEE-adm', 'WKS-ENG-117', 'FALSE_POSITIVE'],
  ];
  for (const [n, [id, score, actor, entity, status]] of rows.entries()) {
    await h.prisma.incident.create({
      data: {
        id, payload: { actor: { name: actor, type: 'user', entity } }, severity: score >= 90 ? 'CRITICAL' : score >= 70 ? 'HIGH' : score >= 40 ? 'MEDIUM' : 'LOW',
        riskScore: score, actorName: actor, actorType: 'user', source: 'api', analystStatus: status,
        occurredAt: new Date(Date.UTC(2026, 10, 20 + n)), receivedAt: new Date(Date.UTC(2026, 11, 1, 0, 0, n)),
      },
    });
  }
  await h.prisma.ticketRef.create({ data: { incidentId: 'INC-2026-0102', system: 'jira', externalId: 'SEC-4', remoteId: '10004', url: 'https://jira.example/browse/SEC-4' } });
  await h.prisma.ticketRef.create({ data: { incidentId: 'INC-2026-0103', system: 'servicenow', externalId: 'INC0010004', remoteId: 'a'.repeat(32), url: 'https://snow.example/incident.do?sys_id=a' } });
});
afterAll(() => h.close());

test.each([
  ['an incident id, in any case', 'inc-2026-0103', ['INC-2026-0103']],
  ['a Jira key', 'sec-4', ['INC-2026-0102']],
  ['a ServiceNow number', 'INC0010004', ['INC-2026-0103']],
  ['part of an actor name, in any case', 'lee', ['INC-2026-0105', 'INC-2026-0101']],
  ['an entity', 'WKS-ENG-117', ['INC-2026-0105', 'INC-2026-0101']],
  ['a percent sign, taken literally (not LIKE’s wildcard)', '%', ['INC-2026-0104']],
  ['an underscore, taken literally', '_', ['INC-2026-0104', 'INC-2026-0102']],
  ['nothing that matches', 'no-such-thing', []],
])('search by %s (q=%s)', async (_what, q, expected) => {
  expect(await ids(`?q=${encodeURIComponent(q)}`)).toEqual(expected);
});

test('a part of an id or ticket key does not match (ids are whole words to an analyst)', async () => {
  expect(await ids('?q=SEC')).toEqual([]);
  expect(await ids('?q=2026-01')).toEqual([]);
});

test('sorted by score, highest first, ties newest first; paged without gaps or repeats', async () => {
  expect(await ids('?sort=score')).toEqual(['INC-2026-0101', 'INC-2026-0104', 'INC-2026-0103', 'INC-2026-0102', 'INC-2026-0105']);
  const seen: string[] = [];
  let after: string | null = null;
  do {
    const res = await list(`?sort=score&limit=2${after ? `&after=${after}` : ''}`);
    const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
    seen.push(...body.items.map((i) => i.id));
    after = body.nextCursor;
  } while (after);
  expect(seen).toEqual(['INC-2026-0101', 'INC-2026-0104', 'INC-2026-0103', 'INC-2026-0102', 'INC-2026-0105']);
});

test('a cursor of one order is refused in the other, naming it', async () => {
  const byScore = (await list('?sort=score&limit=1')).json() as { nextCursor: string };
  const res = await list(`?limit=1&after=${byScore.nextCursor}`);
  expect(res.statusCode).toBe(400);
  expect(JSON.stringify(res.json().error)).toContain('after');
});

test('analyst status and raised time as filters and columns; with search and sort together', async () => {
  expect(await ids('?analystStatus=NEW')).toEqual(['INC-2026-0104', 'INC-2026-0101']);
  expect(await ids(`?raisedSince=${encodeURIComponent('2026-11-22T00:00:00Z')}&raisedUntil=${encodeURIComponent('2026-11-24T00:00:00Z')}`)).toEqual(['INC-2026-0104', 'INC-2026-0103']);
  expect(await ids('?q=WKS-ENG-117&sort=score')).toEqual(['INC-2026-0101', 'INC-2026-0105']);
  const [item] = (await list('?q=INC-2026-0102')).json().items;
  expect(item).toMatchObject({ analystStatus: 'IN_PROGRESS', raisedAt: '2026-11-21T00:00:00.000Z', tickets: [{ externalId: 'SEC-4' }] });
});

test.each([
  ['?q=', 'q'],
  ['?sort=severity', 'sort'],
  ['?analystStatus=DONE', 'analystStatus'],
  ['?raisedSince=yesterday', 'raisedSince'],
  ['?query=x', 'query'],
])('%s is a 400 naming %s', async (query, field) => {
  const res = await list(query);
  expect(res.statusCode).toBe(400);
  expect(JSON.stringify(res.json().error)).toContain(field);
});
