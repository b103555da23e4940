import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { readFixture, startHarness, type Harness, apiCaller } from './harness.js';

// PATCH /v1/incidents/:id (CONTRACT §3): the analyst's status, recorded with its history row.
let h: Harness;
const { call } = apiCaller(() => h);
const history = async (id: string) => (await call('GET', `/v1/incidents/${id}/history?limit=200`)).json().items as { action: string; oldValue: unknown; newValue: unknown; source: string }[];

beforeAll(async () => {
  h = await startHarness();
  h.startIngestWorker();
  await call('POST', '/v1/incidents', { ...readFixture('low-minimal.json'), id: 'INC-STATUS-1' });
  await h.eventually(async () => (await call('GET', '/v1/incidents/INC-STATUS-1')).statusCode === 200);
});
afterAll(() => h.close());

test('a status change is recorded on the incident with a history row holding the old and new status and the note', async () => {
  const res = await call('PATCH', '/v1/incidents/INC-STATUS-1', { analystStatus: 'CLOSED', note: 'Benign: an admin\'s scheduled task.' });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ incidentId: 'INC-STATUS-1', analystStatus: 'CLOSED', previous: 'NEW', resolves: [] });
  expect((await call('GET', '/v1/incidents/INC-STATUS-1')).json().analystStatus).toBe('CLOSED');
  expect((await history('INC-STATUS-1')).filter((r) => r.action === 'ANALYST_STATUS')).toEqual([
    expect.objectContaining({ source: 'api', oldValue: { analystStatus: 'NEW' }, newValue: { analystStatus: 'CLOSED', note: 'Benign: an admin\'s scheduled task.' } }),
  ]);
});

test('the same status again without a note changes nothing; with a note it records the note', async () => {
  await call('PATCH', '/v1/incidents/INC-STATUS-1', { analystStatus: 'CLOSED' });
  expect((await history('INC-STATUS-1')).filter((r) => r.action === 'ANALYST_STATUS')).toHaveLength(1);
  await call('PATCH', '/v1/incidents/INC-STATUS-1', { analystStatus: 'CLOSED', note: 'Reviewed again.' });
  expect((await history('INC-STATUS-1')).filter((r) => r.action === 'ANALYST_STATUS')).toHaveLength(2);
});

test.each([
  [{ analystStatus: 'DONE' }, 'analystStatus'],
  [{}, 'analystStatus'],
  [{ analystStatus: 'NEW', note: '' }, 'note'],
  [{ analystStatus: 'NEW', note: 'a\u0000b' }, 'note'],
  [{ analystStatus: 'NEW', extra: 1 }, 'extra'],
])('%j is a 400 naming %s, and changes nothing', async (body, field) => {
  const res = await call('PATCH', '/v1/incidents/INC-STATUS-1', body);
  expect(res.statusCode).toBe(400);
  expect(JSON.stringify(res.json().error.details)).toContain(field);
  expect((await call('GET', '/v1/incidents/INC-STATUS-1')).json().analystStatus).toBe('CLOSED');
});

test('an unknown incident is a 404', async () => {
  expect((await call('PATCH', '/v1/incidents/INC-NOPE', { analystStatus: 'CLOSED' })).statusCode).toBe(404);
});
