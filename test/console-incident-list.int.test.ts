import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { auth, startHarness, type Harness } from './harness.js';

// GET /v1/incidents, the list the console's Incidents page shows: filters, keyset paging, refusals.
let h: Harness;

const list = async (query: string) => h.app.inject({ method: 'GET', url: `/v1/incidents${query}`, headers: auth });
const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

beforeAll(async () => {
  h = await startHarness();
  // 30 incidents, one per second of receipt, scores cycling through the four severities.
  const scores = [20, 50, 75, 90];
  for (let n = 0; n < 30; n++) {
    await h.prisma.incident.create({
      data: {
        id: `LIST-${String(n).padStart(2, '0')}`, payload: {}, severity: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'][n % 4]!, riskScore: scores[n % 4]!,
        actorName: `actor-${n}`, actorType: 'user', source: 'api', occurredAt: new Date(), receivedAt: new Date(Date.UTC(2026, 10, 1, 0, 0, n)),
      },
    });
  }
  // Two incidents received in the same millisecond: the id breaks the tie, so paging never skips one.
  for (const id of ['TIE-A', 'TIE-B']) {
    await h.prisma.incident.create({ data: { id, payload: {}, severity: 'LOW', riskScore: 1, actorName: id, actorType: 'ip', source: 'api', occurredAt: new Date(), receivedAt: new Date(Date.UTC(2026, 9, 1)) } });
  }
  await h.prisma.ticketRef.create({ data: { incidentId: 'LIST-03', system: 'jira', externalId: 'SEC-1', remoteId: '1', url: 'https://jira.example/browse/SEC-1' } });
  await h.prisma.delivery.create({ data: { incidentId: 'LIST-03', system: 'jira', trigger: 'auto', status: 'SUCCEEDED', attempts: 1 } });
  await h.prisma.delivery.create({ data: { incidentId: 'LIST-07', system: 'servicenow', trigger: 'manual', status: 'FAILED', attempts: 5 } });
});
afterAll(async () => h.close());

describe('GET /v1/incidents', () => {
  test('newest first, with tickets and delivery states, paged by cursor without gaps or repeats', async () => {
    const first = (await list('?limit=10')).json();
    expect(ids(first)).toEqual(Array.from({ length: 10 }, (_, i) => `LIST-${String(29 - i).padStart(2, '0')}`));
    const seen = [...ids(first)];
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const page = (await list(`?limit=10&after=${cursor}`)).json();
      seen.push(...ids(page));
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(32);
    expect(new Set(seen).size).toBe(32);
    expect(seen.slice(-2)).toEqual(['TIE-B', 'TIE-A']);
    const listed = (await list('?limit=200')).json().items.find((i: { id: string }) => i.id === 'LIST-03');
    expect(listed).toMatchObject({
      actor: { name: 'actor-3', type: 'user' }, score: 90, severity: 'CRITICAL', receivedAt: '2026-11-01T00:00:03.000Z',
      tickets: [{ system: 'jira', externalId: 'SEC-1', url: 'https://jira.example/browse/SEC-1' }],
      deliveries: [{ system: 'jira', status: 'SUCCEEDED', attempts: 1, id: expect.any(String) }],
    });
  });

  test('filters: severity, has a ticket, a failed delivery, and their combinations', async () => {
    const critical = ids((await list('?severity=CRITICAL&limit=200')).json());
    expect(critical).toHaveLength(7);
    expect(critical.every((id) => Number(id.slice(5)) % 4 === 3)).toBe(true);
    expect(ids((await list('?hasTicket=true')).json())).toEqual(['LIST-03']);
    expect(ids((await list('?hasTicket=false&limit=200')).json())).toHaveLength(31);
    expect(ids((await list('?failed=true')).json())).toEqual(['LIST-07']);
    expect(ids((await list('?severity=CRITICAL&failed=true')).json())).toEqual(['LIST-07']);
    expect(ids((await list('?severity=CRITICAL&hasTicket=true&failed=true')).json())).toEqual([]);
  });

  test('bad parameters are 400 naming the field', async () => {
    for (const [query, field] of [['?severity=SEVERE', 'severity'], ['?hasTicket=yes', 'hasTicket'], ['?limit=0', 'limit'], ['?limit=201', 'limit'], ['?after=bogus', 'after'], ['?sevrity=HIGH', 'sevrity']]) {
      const res = await list(query!);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual([field]);
    }
  });
});
