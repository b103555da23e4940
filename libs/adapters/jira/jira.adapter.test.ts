import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { delay, http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { TicketError } from '../ticket-error.js';
import { incidentAt, loadIncidentFixture } from '../incident.fixtures.js';
import { JiraAdapter } from './jira.adapter.js';
import { jiraConfigSchema } from './jira.config.js';

const BASE = 'https://acme.atlassian.net';
const API = `${BASE}/rest/api/3`;
const TOKEN = 'jira-token-SECRET-0123456789';
const BASIC = `Basic ${Buffer.from(`soc@acme.test:${TOKEN}`).toString('base64')}`;
const NOW = Date.parse('2026-11-21T10:00:00Z');

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function cloudAdapter(httpTimeoutMs = 2000): JiraAdapter {
  const config = jiraConfigSchema.parse({ deployment: 'cloud', baseUrl: `${BASE}/`, email: 'soc@acme.test', apiToken: TOKEN, projectKey: 'SEC' });
  return new JiraAdapter(config, { httpTimeoutMs, now: () => NOW });
}

async function failure(promise: Promise<unknown>): Promise<TicketError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TicketError);
  const ticketError = error as TicketError;
  expect(ticketError.message).not.toContain(TOKEN);
  expect(ticketError.message).not.toContain(BASIC.slice(6));
  return ticketError;
}

describe('JiraAdapter (Cloud) success paths', () => {
  test('createTicket sends exactly the prepared body with Basic auth and returns the browse link', async () => {
    let sent: { body: string; auth: string | null; type: string | null } | undefined;
    server.use(
      http.post(`${API}/issue`, async ({ request }) => {
        sent = { body: await request.text(), auth: request.headers.get('authorization'), type: request.headers.get('content-type') };
        return HttpResponse.json({ id: '10042', key: 'SEC-42', self: `${API}/issue/10042` }, { status: 201 });
      }),
    );
    const adapter = cloudAdapter();
    const request = await adapter.prepareCreate(loadIncidentFixture('critical-credential-access'));
    expect(request).toMatchObject({ system: 'jira', incidentId: 'INC-2026-0001', priority: 'Highest' });
    expect(request.description).not.toContain('"type"');
    const ref = await adapter.createTicket(request);
    expect(sent).toEqual({ body: JSON.stringify(request.body), auth: BASIC, type: 'application/json' });
    expect(ref).toEqual({ system: 'jira', externalId: 'SEC-42', remoteId: '10042', url: `${BASE}/browse/SEC-42` });
  });

  test('findExisting searches search/jql by label and adopts only a labelled issue', async () => {
    let body: unknown;
    server.use(
      http.post(`${API}/search/jql`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ issues: [{ id: '10042', key: 'SEC-42', fields: { labels: ['rhythmx', 'rhythmx-INC-1'] } }], isLast: true });
      }),
    );
    const adapter = cloudAdapter();
    expect(await adapter.findExisting('INC-1')).toMatchObject({ externalId: 'SEC-42', remoteId: '10042' });
    expect(body).toEqual({ jql: 'project = SEC AND labels = "rhythmx-INC-1"', fields: ['key', 'status', 'labels'], maxResults: 1 });
    expect(await adapter.findExisting('INC-2')).toBeNull();
  });

  test('findExisting refuses an id that could inject JQL', async () => {
    expect(await failure(cloudAdapter().findExisting('x" OR project = OPS'))).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
  });

  test('addUpdate sets the priority, then comments in ADF', async () => {
    const calls: string[] = [];
    server.use(
      http.put(`${API}/issue/10042`, async ({ request }) => {
        calls.push(`PUT ${await request.text()}`);
        return new HttpResponse(null, { status: 204 });
      }),
      http.post(`${API}/issue/10042/comment`, async ({ request }) => {
        calls.push(`POST ${await request.text()}`);
        return HttpResponse.json({ id: '1' }, { status: 201 });
      }),
    );
    await cloudAdapter().addUpdate({ system: 'jira', externalId: 'SEC-42', remoteId: '10042', url: '' }, 'Risk rose to 91', 'CRITICAL');
    expect(calls).toEqual([
      'PUT {"fields":{"priority":{"name":"Highest"}}}',
      'POST {"body":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"Risk rose to 91"}]}]}}',
    ]);
  });

  test.each([
    ['new', true],
    ['indeterminate', true],
    ['done', false],
  ])('readStatus: category %s → open %s', async (key, open) => {
    server.use(
      http.get(`${API}/issue/10042`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('fields')).toBe('status');
        return HttpResponse.json({ id: '10042', key: 'SEC-42', fields: { status: { name: 'Whatever', statusCategory: { key } } } });
      }),
    );
    expect(await cloudAdapter().readStatus({ system: 'jira', externalId: 'SEC-42', remoteId: '10042', url: '' })).toEqual({ state: 'Whatever', open, category: key });
  });

  test('testConnection checks the credentials, then the project', async () => {
    server.use(
      http.get(`${API}/myself`, () => HttpResponse.json({ accountId: 'a', displayName: 'SOC Bot' })),
      http.get(`${API}/project/SEC`, () => HttpResponse.json({ id: '1', key: 'SEC', name: 'Security' })),
    );
    expect((await cloudAdapter().testConnection()).message).toBe('Connected to Jira as SOC Bot (Basic auth (account and API token)); project SEC (Security) is visible');
  });

  test('testConnection names a project that is not visible', async () => {
    server.use(
      http.get(`${API}/myself`, () => HttpResponse.json({ accountId: 'a', displayName: 'SOC Bot' })),
      http.get(`${API}/project/SEC`, () => HttpResponse.json({ errorMessages: ["No project could be found with key 'SEC'."] }, { status: 404 })),
    );
    const error = await failure(cloudAdapter().testConnection());
    expect(error).toMatchObject({ code: 'NOT_FOUND', retryable: false, httpStatus: 404 });
    expect(error.message).toMatch(/project SEC not found or not visible/);
  });
});

type Answer = () => Response | Promise<Response>;
const json = (body: JsonBodyType, status: number, headers: Record<string, string> = {}) => () => HttpResponse.json(body, { status, headers });

describe('JiraAdapter (Cloud) error paths', () => {
  test.each<[string, Answer, Partial<TicketError>]>([
    ['400 with field errors', json({ errorMessages: [], errors: { summary: 'Summary must be less than 255 characters.' } }, 400), { code: 'INVALID_REQUEST', retryable: false, httpStatus: 400, message: 'Jira Cloud answered HTTP 400: summary: Summary must be less than 255 characters.' }],
    ['401 echoing the header', json({ errorMessages: [`Bad header ${BASIC}`, `token ${TOKEN}`] }, 401), { code: 'AUTHENTICATION', retryable: true, httpStatus: 401 }],
    ['403', json({ errorMessages: ['You do not have permission to create issues in this project.'] }, 403), { code: 'PERMISSION', retryable: true, httpStatus: 403 }],
    ['404', json({ errorMessages: ['Not found'] }, 404), { code: 'NOT_FOUND', retryable: false, httpStatus: 404 }],
    ['429 with Retry-After seconds', json({}, 429, { 'Retry-After': '30' }), { code: 'RATE_LIMITED', retryable: true, retryAfterMs: 30_000, httpStatus: 429 }],
    ['429 with Retry-After date', json({}, 429, { 'Retry-After': 'Sat, 21 Nov 2026 10:02:00 GMT' }), { code: 'RATE_LIMITED', retryable: true, retryAfterMs: 120_000 }],
    ['500', json({ errorMessages: ['Internal server error'] }, 500), { code: 'REMOTE_UNAVAILABLE', retryable: true, httpStatus: 500 }],
    ['503 with Retry-After', json({}, 503, { 'Retry-After': '5' }), { code: 'REMOTE_UNAVAILABLE', retryable: true, retryAfterMs: 5000 }],
    ['connection reset', () => HttpResponse.error(), { code: 'NETWORK', retryable: true, httpStatus: undefined }],
    ['HTML instead of JSON', () => new HttpResponse('<html><body>Log in</body></html>', { status: 200, headers: { 'content-type': 'text/html' } }), { code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 200 }],
    ['JSON of another shape', json({ created: true }, 201), { code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 201 }],
    ['a redirect to a login page', () => new HttpResponse(null, { status: 302, headers: { location: 'https://id.atlassian.com/login' } }), { code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 302 }],
  ])('createTicket: %s', async (_name, answer, expected) => {
    server.use(http.post(`${API}/issue`, answer));
    const adapter = cloudAdapter();
    const error = await failure(adapter.createTicket(await adapter.prepareCreate(incidentAt('HIGH'))));
    expect(error).toMatchObject(expected);
    if (!('retryAfterMs' in expected)) expect(error.retryAfterMs).toBeUndefined();
  });

  test('a slow answer is a retryable TIMEOUT', async () => {
    server.use(
      http.post(`${API}/issue`, async () => {
        await delay(500);
        return HttpResponse.json({ id: '1', key: 'SEC-1' }, { status: 201 });
      }),
    );
    const adapter = cloudAdapter(50);
    const error = await failure(adapter.createTicket(await adapter.prepareCreate(incidentAt('LOW'))));
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  test('410 (the removed search endpoint) is permanent', async () => {
    server.use(http.post(`${API}/search/jql`, json({ errorMessages: ['The requested API has been removed.'] }, 410)));
    expect(await failure(cloudAdapter().findExisting('INC-1'))).toMatchObject({ code: 'NOT_FOUND', retryable: false, httpStatus: 410 });
  });
});

describe('JiraAdapter (Server / Data Center)', () => {
  const SERVER = 'https://jira.acme.test/jira';
  const serverAdapter = () =>
    new JiraAdapter(jiraConfigSchema.parse({ deployment: 'server', baseUrl: SERVER, apiToken: TOKEN, projectKey: 'SEC' }), { httpTimeoutMs: 2000 });

  test('creates through REST v2 with a Bearer token and a wiki description', async () => {
    let sent: { auth: string | null; body: { fields: { description: unknown } } } | undefined;
    server.use(
      http.post(`${SERVER}/rest/api/2/issue`, async ({ request }) => {
        sent = { auth: request.headers.get('authorization'), body: (await request.json()) as never };
        return HttpResponse.json({ id: '20001', key: 'SEC-7' }, { status: 201 });
      }),
    );
    const adapter = serverAdapter();
    const request = await adapter.prepareCreate(incidentAt('MEDIUM'));
    const ref = await adapter.createTicket(request);
    expect(sent?.auth).toBe(`Bearer ${TOKEN}`);
    expect(typeof sent?.body.fields.description).toBe('string');
    expect(request.description).toBe(sent?.body.fields.description);
    expect(ref.url).toBe(`${SERVER}/browse/SEC-7`);
  });

  test('searches /rest/api/2/search', async () => {
    server.use(
      http.post(`${SERVER}/rest/api/2/search`, () =>
        HttpResponse.json({ startAt: 0, maxResults: 1, total: 1, issues: [{ id: '20001', key: 'SEC-7', fields: { labels: ['rhythmx-INC-9'] } }] }),
      ),
    );
    expect(await serverAdapter().findExisting('INC-9')).toMatchObject({ externalId: 'SEC-7' });
  });

  test('comments in escaped wiki markup', async () => {
    let body: unknown;
    server.use(
      http.post(`${SERVER}/rest/api/2/issue/20001/comment`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ id: '1' }, { status: 201 });
      }),
    );
    await serverAdapter().addUpdate({ system: 'jira', externalId: 'SEC-7', remoteId: '20001', url: '' }, 'new rule *X*');
    expect(body).toEqual({ body: 'new rule \\*X\\*' });
  });
});
