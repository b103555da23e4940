import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { delay, http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { TicketError } from '../ticket-error.js';
import { incidentAt, loadIncidentFixture } from '../incident.fixtures.js';
import { ProactiveAdapter } from './proactive.adapter.js';
import { proactiveConfigSchema, type ProactiveConfigInput } from './proactive.config.js';

const BASE = 'https://cases.mssp.example/api/proactive/v1';
const SECRET = 'proactive-SECRET-value-42';
const BASIC = `Basic ${Buffer.from(`rhythmx-app:${SECRET}`).toString('base64')}`;
const NOW = Date.parse('2026-11-21T10:00:00Z');
const CASE_URL = 'https://support.mssp.example/case?number=CS0104233';
const REF = { system: 'servicenow' as const, externalId: 'CS0104233', remoteId: 'CS0104233', url: CASE_URL };

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function adapter(extra: Partial<ProactiveConfigInput> = {}, httpTimeoutMs = 2000): ProactiveAdapter {
  const config = proactiveConfigSchema.parse({ baseUrl: BASE, appId: 'rhythmx-app', secret: SECRET, serviceIdentifier: 'CI0012345', ...extra });
  return new ProactiveAdapter(config, { httpTimeoutMs, now: () => NOW, deepLinkBaseUrl: 'https://rhythmx.example' });
}

async function failure(promise: Promise<unknown>): Promise<TicketError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TicketError);
  const ticketError = error as TicketError;
  expect(ticketError.message).not.toContain(SECRET);
  expect(ticketError.message).not.toContain(BASIC.slice(6));
  return ticketError;
}

const created = () => HttpResponse.json({ result: { caseNumber: 'CS0104233', sysId: 'a'.repeat(32), ticketStatus: 'New', url: CASE_URL } }, { status: 201 });
const aCase = (externalId: string, caseNumber = 'CS0104233', ticketStatus = 'New') => ({
  caseNumber, sysId: 'b'.repeat(32), externalId, ticketStatus, priority: '2', updatedAt: '2026-11-27T10:02:11Z', resolutionNote: null,
});

describe('ProactiveAdapter success paths', () => {
  test('createTicket sends exactly the prepared body with Basic app-id:secret, Source and JSON headers', async () => {
    let sent: Record<string, string | null> | undefined;
    server.use(
      http.post(`${BASE}/cases`, async ({ request }) => {
        const h = request.headers;
        sent = { body: await request.text(), auth: h.get('authorization'), source: h.get('source'), accept: h.get('accept'), type: h.get('content-type') };
        return created();
      }),
    );
    const proactive = adapter();
    const request = await proactive.prepareCreate(loadIncidentFixture('critical-credential-access'));
    expect(request).toMatchObject({ system: 'servicenow', incidentId: 'INC-2026-0001', priority: '1 - Critical' });
    expect(request.body).toMatchObject({ table: 'Case', serviceIdentifier: 'CI0012345', externalId: 'INC-2026-0001', priority: '1', deepLink: 'https://rhythmx.example/incidents/INC-2026-0001' });
    const ref = await proactive.createTicket(request);
    expect(sent).toEqual({ body: JSON.stringify(request.body), auth: BASIC, source: 'Managed_services', accept: 'application/json', type: 'application/json' });
    expect(ref).toEqual(REF);
  });

  test('the Source header is the configured one', async () => {
    let source: string | null = null;
    server.use(
      http.get(`${BASE}/cases`, ({ request }) => {
        source = request.headers.get('source');
        return HttpResponse.json({ result: [] });
      }),
    );
    await adapter({ source: 'SOC_Partner' }).findExisting('INC-1');
    expect(source).toBe('SOC_Partner');
  });

  test('findExisting asks by externalId and adopts the newest case that is the incident’s', async () => {
    const asked: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/cases`, ({ request }) => {
        const externalId = new URL(request.url).searchParams.get('externalId');
        asked.push(externalId);
        // A provider that ignored the filter answers other incidents' cases too.
        return HttpResponse.json({ result: [aCase('INC-OTHER', 'CS0000009'), aCase('INC-1', 'CS0000008'), aCase('INC-1', 'CS0000007')] });
      }),
    );
    const proactive = adapter();
    expect(await proactive.findExisting('INC-1')).toEqual({
      system: 'servicenow', externalId: 'CS0000008', remoteId: 'CS0000008', url: `${BASE}/cases/CS0000008`,
    });
    expect(await proactive.findExisting('INC-2')).toBeNull();
    expect(asked).toEqual(['INC-1', 'INC-2']);
  });

  test('findExisting refuses an id outside the incident id pattern without a call', async () => {
    expect(await failure(adapter().findExisting('INC 1&externalId=x'))).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
  });

  test('addUpdate posts a work note, with the priority when the level changed', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${BASE}/cases/CS0104233/updates`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ result: { caseNumber: 'CS0104233', ticketStatus: 'Work in Progress', updatedAt: '2026-11-27T10:02:11Z' } });
      }),
    );
    await adapter().addUpdate(REF, 'risk rose', 'CRITICAL');
    await adapter().addUpdate(REF, 'analyst note');
    expect(bodies).toEqual([{ workNote: 'risk rose', priority: '1' }, { workNote: 'analyst note' }]);
  });

  test.each([
    ['Work In Progress', true],
    ['Pending', true],
    ['Resolved', false],
    ['Canceled', false],
  ])('readStatus: %s → open %s', async (ticketStatus, open) => {
    server.use(http.get(`${BASE}/cases/CS0104233`, () => HttpResponse.json({ result: aCase('INC-1', 'CS0104233', ticketStatus) })));
    expect(await adapter().readStatus(REF)).toEqual({ state: ticketStatus, open, priority: '2' });
  });

  test('findUpdate is unknown without a request: the provider cannot read updates back', async () => {
    const sent: string[] = [];
    server.use(
      http.all('*', ({ request }) => {
        sent.push(`${request.method} ${request.url}`);
        return HttpResponse.json({ result: [] });
      }),
    );
    expect(await adapter().findUpdate(REF, 'rhythmx-update-3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f')).toBe('unknown');
    expect(sent).toEqual([]);
    expect(await failure(adapter().findUpdate(REF, 'not one word'))).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
  });

  test('testConnection is one authenticated find', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${BASE}/cases`, ({ request }) => {
        seen.push(`${new URL(request.url).search} ${request.headers.get('authorization') === BASIC} ${request.headers.get('source')}`);
        return HttpResponse.json({ result: [] });
      }),
    );
    expect((await adapter().testConnection()).message).toBe(
      'Connected to the Proactive Case API as rhythmx-app with Source Managed_services; cases are readable',
    );
    expect(seen).toEqual(['?externalId=rhythmx-connection-test true Managed_services']);
  });

  test.each<[number, string, string, string]>([
    [401, 'UNAUTHORIZED', 'invalid app id or secret', 'AUTHENTICATION'],
    [403, 'SOURCE_NOT_ALLOWED', 'source not allowed for this app', 'PERMISSION'],
  ])('testConnection refused with %i: the provider’s code and words', async (status, remoteCode, message, code) => {
    server.use(http.get(`${BASE}/cases`, () => HttpResponse.json({ error: { code: remoteCode, message } }, { status })));
    const error = await failure(adapter().testConnection());
    expect(error).toMatchObject({ code, retryable: true, httpStatus: status, remoteCode });
    expect(error.message).toBe(`Proactive Case API refused the request: HTTP ${status} ${remoteCode}: ${message}`);
  });
});

type Answer = () => Response | Promise<Response>;
const json = (body: JsonBodyType, status: number, headers: Record<string, string> = {}) => () => HttpResponse.json(body, { status, headers });
const providerError = (code: string, message: string, status: number, headers: Record<string, string> = {}) => json({ error: { code, message } }, status, headers);

describe('ProactiveAdapter error paths', () => {
  test.each<[string, Answer, Partial<TicketError>]>([
    ['400 INVALID_SERVICE_IDENTIFIER', providerError('INVALID_SERVICE_IDENTIFIER', 'serviceIdentifier is not available', 400), { code: 'CONFIGURATION', retryable: false, httpStatus: 400, remoteCode: 'INVALID_SERVICE_IDENTIFIER', message: 'serviceIdentifier is not available' }],
    ['400 INVALID_TABLE', providerError('INVALID_TABLE', 'table Incident is not available', 400), { code: 'CONFIGURATION', retryable: false, message: 'table Incident is not available' }],
    ['400 FIELD_TOO_LONG', providerError('FIELD_TOO_LONG', 'description must be at most 32000 characters', 400), { code: 'INVALID_REQUEST', retryable: false, message: 'description must be at most 32000 characters' }],
    ['400 VALIDATION', providerError('VALIDATION', 'priority must be one of "1".."4"', 400), { code: 'INVALID_REQUEST', retryable: false }],
    ['401 echoing the secret', providerError('UNAUTHORIZED', `secret ${SECRET} header ${BASIC}`, 401), { code: 'AUTHENTICATION', retryable: true, httpStatus: 401 }],
    ['403', providerError('SOURCE_NOT_ALLOWED', 'source not allowed', 403), { code: 'PERMISSION', retryable: true, httpStatus: 403 }],
    ['429 with Retry-After seconds', providerError('RATE_LIMITED', 'too many requests', 429, { 'Retry-After': '12' }), { code: 'RATE_LIMITED', retryable: true, retryAfterMs: 12_000 }],
    ['429 with Retry-After date', providerError('RATE_LIMITED', 'too many requests', 429, { 'Retry-After': 'Sat, 21 Nov 2026 10:00:45 GMT' }), { code: 'RATE_LIMITED', retryable: true, retryAfterMs: 45_000 }],
    ['500', providerError('INTERNAL', 'internal error', 500), { code: 'REMOTE_UNAVAILABLE', retryable: true, httpStatus: 500 }],
    ['503 with Retry-After', json({}, 503, { 'Retry-After': '60' }), { code: 'REMOTE_UNAVAILABLE', retryable: true, retryAfterMs: 60_000 }],
    ['connection reset', () => HttpResponse.error(), { code: 'NETWORK', retryable: true, httpStatus: undefined }],
    ['HTML with 200 (a proxy page)', () => new HttpResponse('<html>Login</html>', { status: 200, headers: { 'content-type': 'text/html' } }), { code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 200 }],
    ['a create answer without the case url', json({ result: { caseNumber: 'CS1', ticketStatus: 'New' } }, 201), { code: 'UNEXPECTED_RESPONSE', retryable: true }],
  ])('createTicket: %s', async (_name, answer, expected) => {
    server.use(http.post(`${BASE}/cases`, answer));
    const proactive = adapter();
    const error = await failure(proactive.createTicket(await proactive.prepareCreate(incidentAt('MEDIUM'))));
    expect(error).toMatchObject(expected);
    if (!('retryAfterMs' in expected)) expect(error.retryAfterMs).toBeUndefined();
  });

  test('404 CASE_NOT_FOUND on read is a permanent NOT_FOUND with the provider’s words', async () => {
    server.use(http.get(`${BASE}/cases/CS0104233`, providerError('CASE_NOT_FOUND', 'case CS0104233 was not found', 404)));
    expect(await failure(adapter().readStatus(REF))).toMatchObject({ code: 'NOT_FOUND', retryable: false, httpStatus: 404, message: 'case CS0104233 was not found' });
  });

  test('a slow answer is a retryable TIMEOUT', async () => {
    server.use(
      http.get(`${BASE}/cases/CS0104233`, async () => {
        await delay(500);
        return HttpResponse.json({ result: {} });
      }),
    );
    expect(await failure(adapter({}, 50).readStatus(REF))).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  test('every call checks the envelope: an HTML page on update is UNEXPECTED_RESPONSE', async () => {
    server.use(http.post(`${BASE}/cases/CS0104233/updates`, () => new HttpResponse('<html/>', { status: 200 })));
    expect(await failure(adapter().addUpdate(REF, 'x'))).toMatchObject({ code: 'UNEXPECTED_RESPONSE', retryable: true });
  });
});
