import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { InvalidInputError } from '@rhx/domain';
import { enqueueIncident } from '@rhx/producer';
import { startServiceNowSimulator, type ServiceNowSimulator } from '@rhx/testing';
import { auth, queueTotals, readFixture, startHarness, type Harness } from './harness.js';

// Client input that used to reach the database or a renderer and come back as a 500: each is now a 400
// naming the field, and nothing is stored.
let h: Harness;
let snow: ServiceNowSimulator;
const INCIDENT = readFixture('medium-recon.json');
const JSON_TYPE = { 'content-type': 'application/json' };

const send = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: string) =>
  h.app.inject({ method, url, headers: { ...auth, ...(payload === undefined ? {} : JSON_TYPE) }, ...(payload === undefined ? {} : { payload }) });

/** The answer is a 400 INVALID_INPUT whose problems name exactly `paths`. */
function expectRefused(res: { statusCode: number; json: () => unknown }, paths: string[]) {
  expect([res.statusCode, res.json()]).toEqual([400, { error: { code: 'INVALID_INPUT', message: expect.any(String), details: expect.any(Array) } }]);
  const { details } = (res.json() as { error: { details: { path: string }[] } }).error;
  expect([...new Set(details.map((d) => d.path))]).toEqual(paths);
}

beforeAll(async () => {
  snow = await startServiceNowSimulator({ username: 'rhx.bot', password: 'snow-pass-9c1d', groups: { 'SOC L2': 'b'.repeat(32) } });
  h = await startHarness();
  expect((await send('POST', '/v1/incidents', JSON.stringify(INCIDENT))).statusCode).toBe(202);
});
afterAll(async () => {
  await h.close();
  await snow.close();
});

describe('a date PostgreSQL cannot store', () => {
  const base = { id: 'BAD-DATE-1', createdAt: '2026-11-20T08:00:00Z', actor: { name: 'k.lee', type: 'user' }, risk: { score: 90 } };
  test.each([
    ['createdAt', { ...base, createdAt: '0000-01-01T00:00:00Z' }],
    ['createdAt', { ...base, createdAt: '0001-01-01T00:00:00+01:00' }],
    ['createdAt', { ...base, createdAt: '9999-12-31T23:00:00-02:00' }],
    ['siemAlarms[0].date', { ...base, siemAlarms: [{ id: 'a', date: '0000-06-01T00:00:00Z', rbp: 1 }] }],
    ['rules[0].firstSeenAt', { ...base, rules: [{ name: 'r', severity: 'low', count: 1, firstSeenAt: '0000-06-01T00:00:00Z' }] }],
  ])('POST /v1/incidents with %s out of range is 400 naming it; nothing stored', async (path, incident) => {
    expectRefused(await send('POST', '/v1/incidents', JSON.stringify(incident)), [path]);
    expect(await h.prisma.incident.count({ where: { id: base.id } })).toBe(0);
  });

  test('enqueueIncident refuses it before anything is queued', async () => {
    const before = await queueTotals(h.queues);
    const attempt = enqueueIncident(h.redis, { ...base, id: 'BAD-DATE-2', createdAt: '0000-01-01T00:00:00Z' }, { prefix: h.config.QUEUE_PREFIX });
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toMatchObject({ problems: [{ path: 'createdAt' }] });
    expect(await queueTotals(h.queues)).toBe(before);
  });

  test('a risk change whose rule is dated year 0000 is 400 naming it; the score does not move', async () => {
    const res = await send('POST', `/v1/incidents/${INCIDENT.id}/risk`, JSON.stringify({ score: 95, newRule: { name: 'r', severity: 'low', count: 1, lastSeenAt: '0000-01-01T00:00:00Z' } }));
    expectRefused(res, ['newRule.lastSeenAt']);
    expect((await send('GET', `/v1/incidents/${INCIDENT.id}`)).json().risk.score).toBe((INCIDENT.risk as { score: number }).score);
  });
});

describe('NUL or an unpaired surrogate in an integration setting, secret or not', () => {
  const stored = async (system: string) => h.prisma.integrationSettings.findUnique({ where: { system } });
  const cases = [
    ['jira', 'email', 'bot\u0000@acme.example'],
    ['jira', 'issueType', 'Task\uD800'],
    ['jira', 'projectKey', 'SEC\u0000'],
    ['jira', 'baseUrl', 'https://jira.example/\u0000'],
    ['jira', 'apiToken', 'tok\uD800en'],
    ['jira', 'apiToken', 'tok\u0000en'],
    ['servicenow', 'instanceUrl', 'acme\uDC00.service-now.com'],
    ['servicenow', 'username', 'rhx\u0000bot'],
    ['servicenow', 'assignmentGroup', '\uD800SOC'],
    ['servicenow', 'password', 'pa\uD800ss'],
  ] as const;
  test.each(cases)('PUT /v1/integrations/%s with a bad %s is 400 naming it; nothing stored', async (system, field, value) => {
    const before = await stored(system);
    expectRefused(await send('PUT', `/v1/integrations/${system}`, JSON.stringify({ [field]: value })), [field]);
    expect(await stored(system)).toEqual(before);
  });

  test('the console’s form shows the field’s error and stores nothing', async () => {
    const cookies: Record<string, string> = {};
    const keep = (res: { cookies: { name: string; value: string }[] }) => res.cookies.forEach((c) => (cookies[c.name] = c.value));
    const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const signIn = await h.app.inject({ method: 'GET', url: '/console/sign-in' });
    keep(signIn);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    keep(await h.app.inject({ method: 'POST', url: '/console/sign-in', headers: form, cookies, payload: `user=operator&password=board-pass-123&_csrf=${csrfOf(signIn.body)}` }));
    const page = await h.app.inject({ method: 'GET', url: '/console/integrations', cookies });
    expect(page.statusCode).toBe(200);
    const before = await stored('jira');
    const res = await h.app.inject({ method: 'POST', url: '/console/integrations/jira', headers: form, cookies, payload: `email=bot%00x&_csrf=${csrfOf(page.body)}` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<li><strong>[^<]*<\/strong> \(<code>email<\/code>\) must not be blank, and must not contain NUL/);
    expect(await stored('jira')).toEqual(before);
  });

  test('a secret stored with an unpaired surrogate before this rule still gets an answer, not a 500', async () => {
    // Written past the API, as an older version could have stored it.
    await h.integrations.write('servicenow', { instanceUrl: snow.url, username: 'rhx.bot', password: 'pa\uD800ss' }, true);
    const test = await send('POST', '/v1/integrations/servicenow/test');
    expect([test.statusCode, test.json().ok]).toEqual([200, false]);
    expect(test.body).not.toContain('pa\\ud800ss');
  });
});

describe('a number in the query is plain decimal digits', () => {
  const lists = ['/v1/incidents', '/v1/deliveries'];
  test.each(lists.flatMap((url) => ['0x10', '1e1', '5.0', '%205', '', '-1', '+5'].map((limit) => [url, limit] as const)))('GET %s?limit=%s is 400 naming limit', async (url, limit) => {
    expectRefused(await send('GET', `${url}?limit=${limit}`), ['limit']);
  });

  test.each(lists)('GET %s?limit=16 is read as 16', async (url) => {
    expect((await send('GET', `${url}?limit=16`)).statusCode).toBe(200);
  });
});

describe('a JSON body with a key that would reach a prototype', () => {
  test.each([
    ['POST', '/v1/incidents', { ...INCIDENT, id: 'PROTO-1' }, '{"__proto__":{"polluted":true},', '__proto__'],
    ['PUT', '/v1/auto-push', { enabled: true, minSeverity: 'HIGH', targets: ['jira'] }, '{"targets2":{"constructor":{"prototype":{"polluted":true}}},', 'targets2.constructor.prototype'],
    ['PUT', '/v1/integrations/jira', { issueType: 'Bug' }, '{"x":[{"__proto__":{"polluted":true}}],', 'x[0].__proto__'],
  ] as const)('%s %s is 400 naming the key; nothing changes', async (method, url, valid, prefix, path) => {
    const autoPush = await send('GET', '/v1/auto-push');
    const jira = await send('GET', '/v1/integrations/jira');
    const res = await send(method, url, prefix + JSON.stringify(valid).slice(1));
    expectRefused(res, [path]);
    expect(res.json().error.message).toContain(path);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await h.prisma.incident.count({ where: { id: 'PROTO-1' } })).toBe(0);
    expect((await send('GET', '/v1/auto-push')).json()).toEqual(autoPush.json());
    expect((await send('GET', '/v1/integrations/jira')).json()).toEqual(jira.json());
  });

  test('malformed JSON is still MALFORMED_JSON', async () => {
    const res = await send('POST', '/v1/incidents', '{"__proto__": ');
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'MALFORMED_JSON']);
  });
});
