import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { delay, http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { TicketError } from '../ticket-error.js';
import { incidentAt, loadIncidentFixture } from '../incident.fixtures.js';
import { ServiceNowAdapter } from './servicenow.adapter.js';
import { serviceNowConfigSchema, type ServiceNowConfigInput } from './servicenow.config.js';

const BASE = 'https://acme.service-now.com';
const TABLE = `${BASE}/api/now/table`;
const PASSWORD = 'snow-PASSWORD-secret-42';
const BASIC = `Basic ${Buffer.from(`rhythmx:${PASSWORD}`).toString('base64')}`;
const NOW = Date.parse('2026-11-21T10:00:00Z');
const SYS_ID = '0123456789abcdef0123456789abcdef';
const GROUP_ID = 'fedcba9876543210fedcba9876543210';
const REF = { system: 'servicenow' as const, externalId: 'INC0010002', remoteId: SYS_ID, url: '' };

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function adapter(extra: Partial<ServiceNowConfigInput> = {}, httpTimeoutMs = 2000): ServiceNowAdapter {
  const config = serviceNowConfigSchema.parse({ instanceUrl: 'acme.service-now.com', username: 'rhythmx', password: PASSWORD, ...extra });
  return new ServiceNowAdapter(config, { httpTimeoutMs, now: () => NOW });
}

async function failure(promise: Promise<unknown>): Promise<TicketError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TicketError);
  const ticketError = error as TicketError;
  expect(ticketError.message).not.toContain(PASSWORD);
  expect(ticketError.message).not.toContain(BASIC.slice(6));
  return ticketError;
}

const created = (priority = '2') => HttpResponse.json({ result: { sys_id: SYS_ID, number: 'INC0010002', state: '1', priority } }, { status: 201 });

describe('ServiceNowAdapter success paths', () => {
  test('createTicket sends exactly the prepared body with Basic auth and JSON headers', async () => {
    let sent: Record<string, string | null> | undefined;
    server.use(
      http.post(`${TABLE}/incident`, async ({ request }) => {
        const h = request.headers;
        sent = { body: await request.text(), auth: h.get('authorization'), accept: h.get('accept'), type: h.get('content-type') };
        return created('1');
      }),
    );
    const snow = adapter();
    const request = await snow.prepareCreate(loadIncidentFixture('critical-credential-access'));
    expect(request).toMatchObject({ system: 'servicenow', incidentId: 'INC-2026-0001', priority: '1 - Critical' });
    const ref = await snow.createTicket(request);
    expect(sent).toEqual({ body: JSON.stringify(request.body), auth: BASIC, accept: 'application/json', type: 'application/json' });
    expect(ref).toEqual({
      system: 'servicenow',
      externalId: 'INC0010002',
      remoteId: SYS_ID,
      url: `${BASE}/nav_to.do?uri=incident.do?sys_id=${SYS_ID}`,
      priority: '1',
    });
  });

  test('resolves the assignment group once and sends its sys_id', async () => {
    const lookups: (string | null)[] = [];
    server.use(
      http.get(`${TABLE}/sys_user_group`, ({ request }) => {
        lookups.push(new URL(request.url).searchParams.get('sysparm_query'));
        return HttpResponse.json({ result: [{ sys_id: GROUP_ID, name: 'SOC Tier 2' }] });
      }),
    );
    const snow = adapter({ assignmentGroup: 'SOC Tier 2' });
    const first = await snow.prepareCreate(incidentAt('HIGH'));
    await snow.prepareCreate(incidentAt('LOW'));
    expect(first.body.assignment_group).toBe(GROUP_ID);
    expect(lookups).toEqual(['name=SOC Tier 2']);
  });

  test('a group that does not exist is a permanent CONFIGURATION error naming it', async () => {
    server.use(http.get(`${TABLE}/sys_user_group`, () => HttpResponse.json({ result: [] })));
    const error = await failure(adapter({ assignmentGroup: 'Nobody' }).prepareCreate(incidentAt('HIGH')));
    expect(error).toMatchObject({ code: 'CONFIGURATION', retryable: false });
    expect(error.message).toContain('"Nobody"');
  });

  test('findExisting queries by correlation id and checks what comes back', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${TABLE}/incident`, ({ request }) => {
        query = new URL(request.url).searchParams;
        const correlation = query.get('sysparm_query')?.includes('INC-1') ? 'rhythmx:INC-1' : 'rhythmx:OTHER';
        return HttpResponse.json({ result: [{ sys_id: SYS_ID, number: 'INC0010002', state: '2', correlation_id: correlation }] });
      }),
    );
    const snow = adapter();
    expect(await snow.findExisting('INC-1')).toMatchObject({ externalId: 'INC0010002', remoteId: SYS_ID });
    expect(Object.fromEntries(query ?? [])).toEqual({
      sysparm_query: 'correlation_id=rhythmx:INC-1^ORDERBYDESCsys_created_on',
      sysparm_fields: 'sys_id,number,state,priority,correlation_id',
      sysparm_limit: '1',
    });
    // The platform ignored the query term and answered some other record: not ours.
    expect(await snow.findExisting('INC-2')).toBeNull();
  });

  test('addUpdate patches a work note with impact and urgency', async () => {
    let body: unknown;
    server.use(
      http.patch(`${TABLE}/incident/${SYS_ID}`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ result: { sys_id: SYS_ID, work_notes: '' } });
      }),
    );
    await adapter().addUpdate(REF, 'risk rose', 'CRITICAL');
    expect(body).toEqual({ work_notes: 'risk rose', impact: '1', urgency: '1' });
  });

  test.each([
    ['2', true],
    ['7', false],
  ])('readStatus: state %s → open %s', async (state, open) => {
    server.use(http.get(`${TABLE}/incident/${SYS_ID}`, () => HttpResponse.json({ result: { sys_id: SYS_ID, number: 'INC0010002', state, priority: '3' } })));
    expect(await adapter().readStatus(REF)).toEqual({ state, open, priority: '3' });
  });

  test('testConnection reads one sys_id from the incident table', async () => {
    server.use(
      http.get(`${TABLE}/incident`, ({ request }) => {
        expect(new URL(request.url).search).toBe('?sysparm_limit=1&sysparm_fields=sys_id');
        return HttpResponse.json({ result: [] });
      }),
    );
    expect((await adapter().testConnection()).message).toMatch(/^Connected to ServiceNow as rhythmx/);
  });
});

type Answer = () => Response | Promise<Response>;
const json = (body: JsonBodyType, status: number, headers: Record<string, string> = {}) => () => HttpResponse.json(body, { status, headers });
const snowError = (message: string, detail: string | null, status: number, headers: Record<string, string> = {}) =>
  json({ error: { message, detail }, status: 'failure' }, status, headers);

describe('ServiceNowAdapter error paths', () => {
  test.each<[string, Answer, Partial<TicketError>]>([
    ['400', snowError('Exception while reading request', 'The payload is not valid JSON.', 400), { code: 'INVALID_REQUEST', retryable: false, httpStatus: 400, message: 'ServiceNow answered HTTP 400: Exception while reading request: The payload is not valid JSON.' }],
    ['401 echoing the password', snowError('User Not Authenticated', `password ${PASSWORD} header ${BASIC}`, 401), { code: 'AUTHENTICATION', retryable: true, httpStatus: 401 }],
    ['403', snowError('Operation Failed', 'ACL Exception Insert Failed due to security constraints', 403), { code: 'PERMISSION', retryable: true, httpStatus: 403 }],
    ['404', snowError('No Record found', "Record doesn't exist", 404), { code: 'NOT_FOUND', retryable: false, httpStatus: 404 }],
    ['429 with Retry-After seconds', snowError('Rate limit exceeded', null, 429, { 'Retry-After': '12' }), { code: 'RATE_LIMITED', retryable: true, retryAfterMs: 12_000 }],
    ['429 with Retry-After date', snowError('Rate limit exceeded', null, 429, { 'Retry-After': 'Sat, 21 Nov 2026 10:00:45 GMT' }), { code: 'RATE_LIMITED', retryable: true, retryAfterMs: 45_000 }],
    ['500', snowError('Internal error', null, 500), { code: 'REMOTE_UNAVAILABLE', retryable: true, httpStatus: 500 }],
    ['503 with Retry-After', json({}, 503, { 'Retry-After': '60' }), { code: 'REMOTE_UNAVAILABLE', retryable: true, retryAfterMs: 60_000 }],
    ['connection reset', () => HttpResponse.error(), { code: 'NETWORK', retryable: true, httpStatus: undefined }],
    ['HTML with 200 (a wrong or hibernating instance)', () => new HttpResponse('<html>Instance Hibernating</html>', { status: 200, headers: { 'content-type': 'text/html' } }), { code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 200 }],
    ['JSON without result', json({ records: [] }, 201), { code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 201 }],
    ['a create answer without priority', json({ result: { sys_id: SYS_ID, number: 'INC0010002', state: '1' } }, 201), { code: 'UNEXPECTED_RESPONSE', retryable: true }],
  ])('createTicket: %s', async (_name, answer, expected) => {
    server.use(http.post(`${TABLE}/incident`, answer));
    const snow = adapter();
    const error = await failure(snow.createTicket(await snow.prepareCreate(incidentAt('MEDIUM'))));
    expect(error).toMatchObject(expected);
    if (!('retryAfterMs' in expected)) expect(error.retryAfterMs).toBeUndefined();
  });

  test('a slow answer is a retryable TIMEOUT', async () => {
    server.use(
      http.get(`${TABLE}/incident/${SYS_ID}`, async () => {
        await delay(500);
        return HttpResponse.json({ result: {} });
      }),
    );
    expect(await failure(adapter({}, 50).readStatus(REF))).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  test('every call checks the envelope: an HTML page on update is UNEXPECTED_RESPONSE', async () => {
    server.use(http.patch(`${TABLE}/incident/${SYS_ID}`, () => new HttpResponse('<html/>', { status: 200 })));
    expect(await failure(adapter().addUpdate(REF, 'x'))).toMatchObject({ code: 'UNEXPECTED_RESPONSE', retryable: true });
  });
});

describe('ServiceNowAdapter.findUpdate', () => {
  const MARKER = 'rhythmx-update-3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f';
  const JOURNAL = `${TABLE}/sys_journal_field`;
  const row = (value: string, elementId = SYS_ID) => ({ sys_id: 'a'.repeat(32), element_id: elementId, element: 'work_notes', value });

  test('asks sys_journal_field for a work note of the record holding the marker, URL-encoded', async () => {
    let url: URL | undefined;
    server.use(
      http.get(JOURNAL, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ result: [row(`Risk rose\n${MARKER}`)] });
      }),
    );
    expect(await adapter().findUpdate(REF, MARKER)).toBe('found');
    expect(Object.fromEntries(url?.searchParams ?? [])).toEqual({
      sysparm_query: `element_id=${SYS_ID}^element=work_notes^valueLIKE${MARKER}`,
      sysparm_fields: 'sys_id,element_id,element,value',
      sysparm_limit: '1',
    });
    expect(url?.search).toContain(`sysparm_query=element_id%3D${SYS_ID}%5Eelement%3Dwork_notes%5EvalueLIKE${MARKER}`);
  });

  test('no row is absent; a row of another record (a dropped query term) is absent too', async () => {
    server.use(http.get(JOURNAL, () => HttpResponse.json({ result: [] })));
    expect(await adapter().findUpdate(REF, MARKER)).toBe('absent');
    server.use(http.get(JOURNAL, () => HttpResponse.json({ result: [row(MARKER, 'f'.repeat(32))] })));
    expect(await adapter().findUpdate(REF, MARKER)).toBe('absent');
  });

  test('403 (no read access to sys_journal_field) is unknown, not an error', async () => {
    server.use(http.get(JOURNAL, snowError('Operation Failed', 'ACL Exception Read Failed due to security constraints', 403)));
    expect(await adapter().findUpdate(REF, MARKER)).toBe('unknown');
  });

  test.each<[string, Answer, Partial<TicketError>]>([
    ['401', snowError('User Not Authenticated', 'Required to provide Auth information', 401), { code: 'AUTHENTICATION', retryable: true, httpStatus: 401 }],
    ['404', snowError('No Record found', null, 404), { code: 'NOT_FOUND', retryable: false, httpStatus: 404 }],
    ['500', snowError('Internal error', null, 500), { code: 'REMOTE_UNAVAILABLE', retryable: true, httpStatus: 500 }],
    ['504 HTML from a proxy', () => new HttpResponse('<html>Gateway Timeout</html>', { status: 504, headers: { 'content-type': 'text/html' } }), { code: 'REMOTE_UNAVAILABLE', retryable: true, httpStatus: 504 }],
    ['connection reset', () => HttpResponse.error(), { code: 'NETWORK', retryable: true }],
    ['HTML with 200', () => new HttpResponse('<html>Instance Hibernating</html>', { status: 200, headers: { 'content-type': 'text/html' } }), { code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 200 }],
    ['rows without the asked columns', json({ result: [{ sys_id: 'a'.repeat(32) }] }, 200), { code: 'UNEXPECTED_RESPONSE', retryable: true }],
  ])('findUpdate: %s', async (_name, answer, expected) => {
    server.use(http.get(JOURNAL, answer));
    expect(await failure(adapter().findUpdate(REF, MARKER))).toMatchObject(expected);
  });

  test('a marker that could break out of the encoded query is refused without a request', async () => {
    expect(await failure(adapter().findUpdate(REF, `${MARKER}^ORvalueISNOTEMPTY`))).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
  });
});
