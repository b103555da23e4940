import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startJiraSimulator, type JiraSimulator } from '@rhx/testing';
import { API_TOKEN, readFixture, startHarness, type Harness } from './harness.js';

// Issue 18: who did what. Every operator action through /v1 names the API token that made it
// (API_TOKENS=name:token; API_TOKEN alone is `api`), on the incident's history when it concerns an
// incident, and in GET /v1/audit; a secret's value is never in either.
const SIEM_BOT = 'siem-bot-token-0123456789';
const SOAR = 'soar-token-abcdefghijklmn';
const JIRA_SECRET = 'jira-api-token-audit-7f3e';
let h: Harness;
let jira: JiraSimulator;

async function as(token: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) {
  return h.app.inject({
    method, url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload: payload as object }),
  });
}
type Event = { id: string; at: string; operator: { kind: string; name: string }; action: string; target: string | null; incidentId: string | null; details: Record<string, unknown> };
const audit = async (query = '') => {
  const res = await as(SOAR, 'GET', `/v1/audit${query}`);
  expect(res.statusCode).toBe(200);
  return res.json() as { items: Event[]; nextCursor: string | null };
};

beforeAll(async () => {
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bot@acme.example', apiToken: JIRA_SECRET });
  h = await startHarness({ API_TOKENS: `siem-bot:${SIEM_BOT}, soar:${SOAR}` });
  h.startIngestWorker();
  await as(API_TOKEN, 'POST', '/v1/incidents', { ...readFixture('high-lateral-movement.json'), id: 'INC-AUDIT-1' });
  await h.eventually(async () => (await as(API_TOKEN, 'GET', '/v1/incidents/INC-AUDIT-1')).statusCode === 200);
});
afterAll(async () => {
  await h.close();
  await jira.close();
});

describe('each token is its own operator', () => {
  test('a settings change names the token that made it and which settings changed, never a secret’s value', async () => {
    const put = await as(SIEM_BOT, 'PUT', '/v1/integrations/jira', { enabled: true, baseUrl: jira.url, email: 'bot@acme.example', apiToken: JIRA_SECRET, projectKey: 'SEC' });
    expect(put.statusCode).toBe(200);
    const [saved] = (await audit('?action=SETTINGS_SAVED')).items;
    expect(saved).toMatchObject({ operator: { kind: 'api', name: 'siem-bot' }, action: 'SETTINGS_SAVED', target: 'jira', incidentId: null });
    expect(saved!.details.changed).toEqual(expect.arrayContaining(['apiToken', 'baseUrl', 'email', 'projectKey']));
    // Saving the same values again changes nothing, and says so.
    await as(SIEM_BOT, 'PUT', '/v1/integrations/jira', { projectKey: 'SEC' });
    expect((await audit('?action=SETTINGS_SAVED&limit=1')).items[0]!.details.changed).toEqual([]);
    expect(JSON.stringify(await audit('?limit=200'))).not.toContain(JIRA_SECRET);
  });

  test('a refused settings change records nothing (the audit row is written with the change or not at all)', async () => {
    const before = (await audit('?action=SETTINGS_SAVED&limit=200')).items.length;
    const bad = await as(SIEM_BOT, 'PUT', '/v1/integrations/jira', { baseUrl: 'ftp://nowhere' });
    expect(bad.statusCode).toBe(400);
    expect((await audit('?action=SETTINGS_SAVED&limit=200')).items).toHaveLength(before);
  });

  test('Test Connection, auto-push, a manual ticket and a status each name their token; API_TOKEN is `api`', async () => {
    expect((await as(SOAR, 'POST', '/v1/integrations/jira/test')).json()).toMatchObject({ ok: true });
    await as(SIEM_BOT, 'PUT', '/v1/auto-push', { enabled: true, minSeverity: 'HIGH', targets: ['jira'] });
    const push = await as(SIEM_BOT, 'POST', '/v1/incidents/INC-AUDIT-1/tickets', { target: 'jira' });
    expect(push.statusCode).toBe(202);
    await as(API_TOKEN, 'PATCH', '/v1/incidents/INC-AUDIT-1', { analystStatus: 'IN_PROGRESS' });

    const { items } = await audit();
    const by = (action: string) => items.find((e) => e.action === action);
    expect(by('CONNECTION_TESTED')).toMatchObject({ operator: { name: 'soar' }, target: 'jira', details: { ok: true } });
    expect(by('AUTO_PUSH_SAVED')).toMatchObject({ operator: { name: 'siem-bot' }, details: { to: { enabled: true, minSeverity: 'HIGH', targets: ['jira'] } } });
    expect(by('TICKET_REQUESTED')).toMatchObject({ operator: { name: 'siem-bot' }, incidentId: 'INC-AUDIT-1', details: { system: 'jira', deliveryId: push.json().deliveryId } });
    expect(by('ANALYST_STATUS_SET')).toMatchObject({ operator: { kind: 'api', name: 'api' }, incidentId: 'INC-AUDIT-1', details: { from: 'NEW', to: 'IN_PROGRESS' } });

    // On the incident's own history too, with who did it.
    const history = (await as(API_TOKEN, 'GET', '/v1/incidents/INC-AUDIT-1/history?limit=200')).json().items as { action: string; operator: unknown; message: string | null }[];
    expect(history.find((r) => r.action === 'PUSH_REQUESTED')).toMatchObject({ operator: { kind: 'api', name: 'siem-bot' }, message: 'jira ticket requested by siem-bot' });
    expect(history.find((r) => r.action === 'ANALYST_STATUS')).toMatchObject({ operator: { kind: 'api', name: 'api' } });
    // What the fleet did by itself names nobody.
    expect(history.find((r) => r.action === 'CREATED' || r.action === 'INCIDENT_RECEIVED')).toMatchObject({ operator: null });
  });
});

describe('GET /v1/audit', () => {
  test('newest first across many rows (ids of more than one digit)', async () => {
    for (let n = 0; n < 12; n++) await as(SOAR, 'PUT', '/v1/auto-push', { enabled: n % 2 === 0, minSeverity: 'HIGH', targets: ['jira'] });
    const ids = (await audit('?limit=200')).items.map((e) => Number(e.id));
    expect(ids.length).toBeGreaterThan(12);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  test('filters by actor and action, newest first, and pages with a cursor', async () => {
    const mine = (await audit('?actor=siem-bot&limit=200')).items;
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(mine.every((e) => e.operator.name === 'siem-bot')).toBe(true);
    expect(mine.map((e) => Number(e.id))).toEqual([...mine.map((e) => Number(e.id))].sort((a, b) => b - a));

    const first = await audit('?actor=siem-bot&limit=2');
    expect(first.items).toEqual(mine.slice(0, 2));
    const second = await audit(`?actor=siem-bot&limit=2&cursor=${first.nextCursor}`);
    expect(second.items).toEqual(mine.slice(2, 4));
    expect((await audit(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).items).toEqual([]);
  });

  test.each([
    ['?acter=siem-bot', 'acter'],
    ['?action=DELETED_EVERYTHING', 'action'],
    ['?cursor=not-ours', 'cursor'],
    ['?limit=0', 'limit'],
    ['?since=yesterday', 'since'],
  ])('%s is a 400 naming %s', async (query, field) => {
    const res = await as(SOAR, 'GET', `/v1/audit${query}`);
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error)).toContain(field);
  });

  test('a token not configured is refused, as on every /v1 route', async () => {
    expect((await as('not-a-token-of-this-fleet', 'GET', '/v1/audit')).statusCode).toBe(401);
  });
});
