import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startProactiveSimulator, type ProactiveSimulator } from './proactive.simulator.js';

const AUTH = `Basic ${Buffer.from('app:secret').toString('base64')}`;
const VALID = {
  table: 'Case', serviceIdentifier: 'CI0012345', externalId: 'INC-1', priority: '2', shortDescription: 'x', description: 'd', category: 'Security Incident',
};

async function call(sim: ProactiveSimulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: AUTH, source: 'Managed_services', accept: 'application/json', 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

describe('Proactive Case API simulator', () => {
  let sim: ProactiveSimulator;
  beforeAll(async () => {
    sim = await startProactiveSimulator({ appId: 'app', secret: 'secret', serviceIdentifiers: ['CI0012345'] });
  });
  afterAll(() => sim.close());

  test('serves under the provider’s base path', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/proactive\/v1$/);
  });

  test.each([
    ['a wrong secret', 401, 'UNAUTHORIZED', { authorization: `Basic ${Buffer.from('app:nope').toString('base64')}` }],
    ['no Source', 403, 'SOURCE_NOT_ALLOWED', { source: '' }],
    ['an unknown Source', 403, 'SOURCE_NOT_ALLOWED', { source: 'Somebody_else' }],
  ])('%s → %i %s', async (_name, status, code, headers) => {
    const answer = await call(sim, 'GET', '/cases?externalId=INC-1', undefined, headers);
    expect(answer).toMatchObject({ status, json: { error: { code, message: expect.any(String) } } });
  });

  test('create answers 201 with the case number, status New and the case url; no dedupe; find is newest first', async () => {
    const first = await call(sim, 'POST', '/cases', { ...VALID, externalId: 'INC-DUP' });
    const second = await call(sim, 'POST', '/cases', { ...VALID, externalId: 'INC-DUP' });
    expect(first).toMatchObject({ status: 201, json: { result: { caseNumber: expect.stringMatching(/^CS\d{7}$/), sysId: expect.stringMatching(/^[0-9a-f]{32}$/), ticketStatus: 'New' } } });
    expect(first.json.result.url).toBe(`${new URL(sim.url).origin}/case?number=${first.json.result.caseNumber}`);
    const found = await call(sim, 'GET', '/cases?externalId=INC-DUP');
    expect(found.json.result.map((c: { caseNumber: string }) => c.caseNumber)).toEqual([second.json.result.caseNumber, first.json.result.caseNumber]);
    expect(found.json.result[0]).toMatchObject({ externalId: 'INC-DUP', ticketStatus: 'New', priority: '2', resolutionNote: null, updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    expect(sim.casesFor('INC-DUP')).toHaveLength(2);
    expect((await call(sim, 'GET', '/cases?externalId=INC-NONE')).json).toEqual({ result: [] });
  });

  test.each([
    ['an unknown service identifier', 'INVALID_SERVICE_IDENTIFIER', { serviceIdentifier: 'CI0000000' }, 'serviceIdentifier is not available'],
    ['another table', 'INVALID_TABLE', { table: 'Incident' }, 'table Incident is not available'],
    ['a description over 32,000', 'FIELD_TOO_LONG', { description: 'x'.repeat(32_001) }, 'description must be at most 32000 characters'],
    ['a short description over 160', 'FIELD_TOO_LONG', { shortDescription: 'x'.repeat(161) }, 'shortDescription must be at most 160 characters'],
    ['an externalId over 64', 'FIELD_TOO_LONG', { externalId: 'x'.repeat(65) }, 'externalId must be at most 64 characters'],
    ['an empty short description', 'VALIDATION', { shortDescription: '' }, 'shortDescription must be at least 1 character'],
    ['an empty externalId', 'VALIDATION', { externalId: '' }, 'externalId must be at least 1 character'],
    ['a numeric priority', 'VALIDATION', { priority: 1 }, 'priority must be one of the strings "1", "2", "3", "4"'],
    ['priority 5', 'VALIDATION', { priority: '5' }, 'priority must be one of the strings "1", "2", "3", "4"'],
    ['a relative deep link', 'VALIDATION', { deepLink: '/incidents/INC-1' }, 'deepLink must be an absolute http or https URL'],
    ['a javascript deep link', 'VALIDATION', { deepLink: 'javascript:alert(1)' }, 'deepLink must be an absolute http or https URL'],
  ])('create with %s → 400 %s', async (_name, code, change, message) => {
    const before = sim.cases().length;
    expect(await call(sim, 'POST', '/cases', { ...VALID, ...change })).toEqual({ status: 400, json: { error: { code, message } } });
    expect(sim.cases()).toHaveLength(before);
  });

  test('a body that is not JSON is a VALIDATION error', async () => {
    expect(await call(sim, 'POST', '/cases', '{nope')).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION' } } });
  });

  test('updates append work notes and change priority; reads are counted; unknown cases are 404 CASE_NOT_FOUND', async () => {
    const { json } = await call(sim, 'POST', '/cases', VALID);
    const caseNumber = json.result.caseNumber as string;
    const updated = await call(sim, 'POST', `/cases/${caseNumber}/updates`, { workNote: 'risk rose', priority: '1' });
    expect(updated).toMatchObject({ status: 200, json: { result: { caseNumber, ticketStatus: 'New', updatedAt: expect.any(String) } } });
    await call(sim, 'POST', `/cases/${caseNumber}/updates`, { workNote: 'note' });
    expect(sim.updatesFor(caseNumber).map(({ workNote, priority }) => ({ workNote, priority }))).toEqual([
      { workNote: 'risk rose', priority: '1' },
      { workNote: 'note', priority: undefined },
    ]);
    expect((await call(sim, 'POST', `/cases/${caseNumber}/updates`, { workNote: 'x'.repeat(32_001) })).json.error.code).toBe('FIELD_TOO_LONG');
    const reads = sim.reads;
    expect((await call(sim, 'GET', `/cases/${caseNumber}`)).json.result).toMatchObject({ caseNumber, priority: '1', externalId: 'INC-1' });
    expect(sim.reads).toBe(reads + 1);
    expect(await call(sim, 'GET', '/cases/CS9999999')).toEqual({ status: 404, json: { error: { code: 'CASE_NOT_FOUND', message: 'case CS9999999 was not found' } } });
    expect((await call(sim, 'POST', '/cases/CS9999999/updates', { workNote: 'x' })).status).toBe(404);
  });

  test.each(['Work In Progress', 'Work in Progress', 'Canceled', 'Cancelled', 'Resolved'] as const)(
    'setStatus(%s) is what reads answer, with the resolution note',
    async (ticketStatus) => {
      const { json } = await call(sim, 'POST', '/cases', VALID);
      sim.setStatus(json.result.caseNumber, ticketStatus, 'done by the analyst');
      expect((await call(sim, 'GET', `/cases/${json.result.caseNumber}`)).json.result).toMatchObject({ ticketStatus, resolutionNote: 'done by the analyst' });
    },
  );

  test('setStatus refuses a status the provider does not know, and an unknown case', () => {
    const caseNumber = sim.cases()[0]!.caseNumber;
    expect(() => sim.setStatus(caseNumber, 'Done' as never)).toThrow(/"Done" is not a ticketStatus the provider knows/);
    expect(() => sim.setStatus('CS0000000', 'Resolved')).toThrow(/no simulated Proactive case CS0000000/);
  });

  test('updateThenFail records the update, then fails its answer; a 503 fault refuses one without recording it', async () => {
    const caseNumber = (await call(sim, 'POST', '/cases', VALID)).json.result.caseNumber as string;
    sim.faults.updateThenFail('status500');
    expect((await call(sim, 'POST', `/cases/${caseNumber}/updates`, { workNote: 'landed', priority: '1' })).status).toBe(500);
    sim.faults.next(1, { status: 503, method: 'POST', path: '/updates' });
    expect((await call(sim, 'POST', `/cases/${caseNumber}/updates`, { workNote: 'refused' })).status).toBe(503);
    sim.faults.updateThenFail('drop');
    await expect(call(sim, 'POST', `/cases/${caseNumber}/updates`, { workNote: 'landed too' })).rejects.toThrow();
    expect(sim.updatesFor(caseNumber).map((u) => u.workNote)).toEqual(['landed', 'landed too']);
    expect((await call(sim, 'GET', `/cases/${caseNumber}`)).json.result.priority).toBe('1');
  });

  test('the shared faults apply: a 429 with Retry-After', async () => {
    sim.faults.next(1, { status: 429, retryAfter: 3, body: { error: { code: 'RATE_LIMITED', message: 'slow down' } } });
    const response = await fetch(`${sim.url}/cases?externalId=INC-1`, { headers: { authorization: AUTH, source: 'Managed_services' } });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
  });
});

test('an answer delay holds every answer', async () => {
  const sim = await startProactiveSimulator({ appId: 'app', secret: 'secret', serviceIdentifiers: ['CI1'], latencyMs: 120 });
  try {
    const started = performance.now();
    await call(sim, 'GET', '/cases?externalId=INC-1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  } finally {
    await sim.close();
  }
});
