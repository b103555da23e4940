import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { auth, startHarness, type Harness } from './harness.js';
import { seedIncidents } from './delivery-rows.js';

// GET /v1/incidents/:id/history: oldest first, one keyset page at a time, `{items, nextCursor}`.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type Entry = { at: string; action: string; source: string; message: string | null; oldValue: unknown; newValue: unknown };
type Page = { items: Entry[]; nextCursor: string | null };
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: auth });
const history = async (id: string, query = ''): Promise<Page> => {
  const res = await get(`/v1/incidents/${id}/history${query ? `?${query}` : ''}`);
  expect(res.statusCode).toBe(200);
  return res.json();
};

/** `count` history rows for `incidentId`, messages `<prefix>-0…`, all at one instant (order is by row id alone). */
async function seedHistory(incidentId: string, count: number, prefix = 'event'): Promise<string[]> {
  const messages = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const at = new Date(Date.UTC(2026, 10, 20, 8, 0, 0));
  await h.prisma.incidentHistory.createMany({ data: messages.map((message) => ({ incidentId, action: 'RISK_CHANGED', source: 'test', message, createdAt: at })) });
  return messages;
}

async function walk(id: string, query: string): Promise<{ messages: (string | null)[]; pages: number }> {
  const messages: (string | null)[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page = await history(id, `${query}${cursor ? `&cursor=${cursor}` : ''}`);
    messages.push(...page.items.map((e) => e.message));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { messages, pages };
}

describe('paging through a long history', () => {
  let expected: string[];
  beforeAll(async () => {
    await seedIncidents(h, ['H-LONG', 'H-OTHER']);
    expected = await seedHistory('H-LONG', 130);
    await seedHistory('H-OTHER', 5, 'other');
  });

  test('the default page is 50 rows, oldest first, with a cursor to the next', async () => {
    const page = await history('H-LONG');
    expect(page.items.map((e) => e.message)).toEqual(expected.slice(0, 50));
    expect(page.items[0]).toEqual({ at: '2026-11-20T08:00:00.000Z', action: 'RISK_CHANGED', source: 'test', message: 'event-0', oldValue: null, newValue: null, operator: null });
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  test('pages of 20 walk all 130 rows in order, each once, and only this incident’s', async () => {
    const { messages, pages } = await walk('H-LONG', 'limit=20');
    expect(messages).toEqual(expected);
    expect(pages).toBe(7);
  });

  test('a page exactly filled has no empty page after it', async () => {
    const page = await history('H-OTHER', 'limit=5');
    expect(page.items.map((e) => e.message)).toEqual(['other-0', 'other-1', 'other-2', 'other-3', 'other-4']);
    expect(page.nextCursor).toBeNull();
  });

  test('rows written while paging come after, never shift a page (no duplicate, no gap)', async () => {
    await seedIncidents(h, ['H-GROW']);
    await seedHistory('H-GROW', 6, 'early');
    const first = await history('H-GROW', 'limit=4');
    await seedHistory('H-GROW', 3, 'late');
    const second = await history('H-GROW', `limit=4&cursor=${first.nextCursor}`);
    const third = await history('H-GROW', `limit=4&cursor=${second.nextCursor}`);
    expect([...first.items, ...second.items, ...third.items].map((e) => e.message)).toEqual(['early-0', 'early-1', 'early-2', 'early-3', 'early-4', 'early-5', 'late-0', 'late-1', 'late-2']);
    expect(third.nextCursor).toBeNull();
  });
});

describe('edges', () => {
  beforeAll(async () => {
    await seedIncidents(h, ['H-EDGE']);
    await seedHistory('H-EDGE', 3);
  });

  test('an incident without history rows answers an empty page', async () => {
    await seedIncidents(h, ['H-EMPTY']);
    expect(await history('H-EMPTY')).toEqual({ items: [], nextCursor: null });
  });

  test('an unknown incident stays 404, with or without a cursor', async () => {
    const { nextCursor } = await history('H-EDGE', 'limit=1');
    for (const url of ['/v1/incidents/H-NOPE/history', `/v1/incidents/H-NOPE/history?limit=1&cursor=${nextCursor}`]) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('INCIDENT_NOT_FOUND');
    }
  });

  test.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['cursor=%25%25', 'cursor'],
    ['after=aDE', 'after'],
  ])('%s is 400 naming %s', async (query, field) => {
    const res = await get(`/v1/incidents/H-EDGE/history?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_INPUT', details: [{ path: field, message: expect.any(String) }] });
  });

  test('limit=200 is the largest page', async () => {
    expect((await history('H-EDGE', 'limit=200')).items).toHaveLength(3);
  });
});
