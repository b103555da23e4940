import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startServiceNowSimulator, type ServiceNowSimulator } from '@rhx/testing';
import { API_TOKEN, auth, readFixture, startHarness, type Harness } from './harness.js';

// The edges of the API: whatever arrives, the answer is the one error envelope with a fitting status.
let h: Harness;
let snow: ServiceNowSimulator;
const INCIDENT = readFixture('medium-recon.json');

const send = (method: 'GET' | 'POST' | 'PUT', url: string, extra: { headers?: Record<string, string>; payload?: string } = {}) =>
  h.app.inject({ method, url, headers: { ...auth, ...extra.headers }, ...(extra.payload === undefined ? {} : { payload: extra.payload }) });

function expectEnvelope(res: { statusCode: number; json: () => unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({ code, message: expect.any(String) });
  return body.error as { code: string; message: string; details?: unknown };
}

beforeAll(async () => {
  snow = await startServiceNowSimulator({ username: 'rhx.bot', password: 'snow-pass-9c1d', groups: { 'SOC L2': 'b'.repeat(32) } });
  h = await startHarness();
  const stored = await send('POST', '/v1/incidents', { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(INCIDENT) });
  expect(stored.statusCode).toBe(202);
});
afterAll(async () => {
  await h.close();
  await snow.close();
});

const ID_ROUTES: [method: 'GET' | 'POST', path: (id: string) => string][] = [
  ['GET', (id) => `/v1/incidents/${id}`],
  ['GET', (id) => `/v1/incidents/${id}/history`],
  ['GET', (id) => `/v1/incidents/${id}/ticket-preview?target=jira`],
  ['POST', (id) => `/v1/incidents/${id}/tickets`],
];
const IMPOSSIBLE_IDS = [
  ['a NUL byte', '%00'],
  ['a space', 'a%20b'],
  ['a slash', 'a%2Fb'],
  ['65 characters', 'x'.repeat(65)],
  ['101 characters', 'x'.repeat(101)],
  ['5,000 characters', 'x'.repeat(5000)],
] as const;

describe('an incident id that cannot exist is 400 naming `id`, on every :id route', () => {
  const rows = ID_ROUTES.flatMap(([method, path]) => IMPOSSIBLE_IDS.map(([what, id]) => [method, path(id).slice(0, 60), what, method, path(id)] as const));
  test.each(rows)('%s %s (%s)', async (_m, _shown, _what, method, url) => {
    const res = await send(method, url, method === 'POST' ? { headers: { 'content-type': 'application/json' }, payload: '{"target":"jira"}' } : {});
    const error = expectEnvelope(res, 400, 'INVALID_INPUT');
    expect(error.details).toEqual([{ path: 'id', message: expect.any(String) }]);
  });

  test.each(ID_ROUTES.map(([method, path]) => [method, path('%ZZ'), method, path('%ZZ')] as const))('%s %s: bad percent-encoding is 400 in the envelope', async (_m, _u, method, url) => {
    const res = await send(method, url, method === 'POST' ? { headers: { 'content-type': 'application/json' }, payload: '{"target":"jira"}' } : {});
    expectEnvelope(res, 400, 'BAD_URL');
  });

  test('a well-formed unknown id is still 404 INCIDENT_NOT_FOUND', async () => {
    expectEnvelope(await send('GET', '/v1/incidents/NOPE.1'), 404, 'INCIDENT_NOT_FOUND');
  });
});

describe('a body that is not JSON is 415 on every route that takes one', () => {
  const routes: ['POST' | 'PUT', string][] = [
    ['POST', '/v1/incidents'],
    ['POST', `/v1/incidents/${INCIDENT.id}/tickets`],
    ['PUT', '/v1/auto-push'],
    ['PUT', '/v1/integrations/jira'],
  ];
  const types = ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded'];
  test.each(routes.flatMap(([m, u]) => types.map((t) => [m, u, t] as const)))('%s %s with %s', async (method, url, type) => {
    const res = await send(method, url, { headers: { 'content-type': type }, payload: JSON.stringify(INCIDENT) });
    expectEnvelope(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

test.each(['bearer', 'BEARER', 'Bearer', 'bEaReR'])('the %s scheme is case-insensitive (RFC 7235)', async (scheme) => {
  const res = await h.app.inject({ method: 'GET', url: '/v1/auto-push', headers: { authorization: `${scheme} ${API_TOKEN}` } });
  expect(res.statusCode).toBe(200);
});

test.each([`Basic ${API_TOKEN}`, `Bearer${API_TOKEN}`, `Bearer ${API_TOKEN}x`, API_TOKEN])('%s is refused', async (header) => {
  const res = await h.app.inject({ method: 'GET', url: '/v1/auto-push', headers: { authorization: header } });
  expectEnvelope(res, 401, 'UNAUTHORIZED');
});

describe('a ticketing-system failure in the API keeps the envelope', () => {
  test('a remote failure during preview is 502 REMOTE_ERROR with the remote’s reason', async () => {
    const put = await send('PUT', '/v1/integrations/servicenow', {
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ enabled: true, instanceUrl: snow.url, username: 'rhx.bot', password: 'snow-pass-9c1d', assignmentGroup: 'SOC L2' }),
    });
    expect(put.statusCode).toBe(200);
    snow.faults.next(1, { status: 503, body: { error: { message: 'instance hibernating', detail: '' } } });
    const res = await send('GET', `/v1/incidents/${INCIDENT.id}/ticket-preview?target=servicenow`);
    const error = expectEnvelope(res, 502, 'REMOTE_ERROR');
    expect(error.details).toEqual({ reason: 'REMOTE_UNAVAILABLE', remoteStatus: 503 });
    expect(error.message).toContain('instance hibernating');
    expect(JSON.stringify(error)).not.toContain('snow-pass-9c1d');
  });

  test.each([
    ['GET', `/v1/incidents/${INCIDENT.id}/ticket-preview?target=jira`, undefined],
    ['POST', `/v1/incidents/${INCIDENT.id}/tickets`, '{"target":"jira"}'],
  ] as const)('settings the adapter refuses: %s %s is 409 TARGET_MISCONFIGURED', async (method, url, payload) => {
    const put = await send('PUT', '/v1/integrations/jira', {
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ enabled: false, baseUrl: 'https://jira.example.com', email: 'bot@acme.example', apiToken: 'jira-tok-5e2a', projectKey: 'SEC' }),
    });
    expect(put.statusCode).toBe(200);
    // The API no longer stores such a URL; a row edited by hand or by an older version still can hold one.
    const row = await h.prisma.integrationSettings.findUniqueOrThrow({ where: { system: 'jira' } });
    await h.prisma.integrationSettings.update({ where: { system: 'jira' }, data: { config: { ...(row.config as object), baseUrl: 'not a url' } } });
    const res = await send(method, url, payload === undefined ? {} : { headers: { 'content-type': 'application/json' }, payload });
    const error = expectEnvelope(res, 409, 'TARGET_MISCONFIGURED');
    expect(error.message).toContain('baseUrl');
    expect(error.message).not.toContain('jira-tok-5e2a');
  });
});
