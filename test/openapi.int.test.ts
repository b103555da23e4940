import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { registeredRoutes } from '../apps/api/src/openapi/docs.plugin.js';
import type { OpenApiDocument } from '../apps/api/src/openapi/openapi-document.js';
import { auth, readFixture, startHarness, type Harness } from './harness.js';
import { documentedOperations, jsonSchemaValidator, registeredV1Routes, undescribedRoutes } from './openapi.helpers.js';

// The API serves its own description: every /v1 route in it, readable without a token, the page's
// assets from the API itself, and the answers the document promises are the ones the API gives.
let h: Harness;
let document: OpenApiDocument;

beforeAll(async () => {
  h = await startHarness();
  await h.app.ready();
  const res = await h.app.inject({ method: 'GET', url: '/docs/openapi.json' });
  expect(res.statusCode).toBe(200);
  document = res.json();
});
afterAll(async () => h.close());

describe('/docs/openapi.json', () => {
  test('describes every /v1 route the server registered, and nothing it did not', () => {
    const registered = registeredV1Routes(registeredRoutes(h.app));
    expect(registered.length).toBeGreaterThan(10);
    expect(undescribedRoutes(registeredRoutes(h.app), document)).toEqual([]);
    expect([...documentedOperations(document).keys()].sort()).toEqual(registered);
  });

  test('needs no bearer token (it describes, it holds no data), while /v1 still does', async () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document).toMatchObject({ info: expect.any(Object), paths: expect.any(Object), components: expect.any(Object) });
    expect((await h.app.inject({ method: 'GET', url: '/v1/auto-push' })).statusCode).toBe(401);
  });
});

describe('/docs', () => {
  test('is an HTML page whose every asset the API itself serves', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/docs\//);
      const res = await h.app.inject({ method: 'GET', url: asset });
      expect([asset, res.statusCode]).toEqual([asset, 200]);
    }
    const initializer = await h.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(initializer.body).toContain('validatorUrl: null');
    expect(initializer.body).toContain("resolveUrl('./json')");
    expect((await h.app.inject({ method: 'GET', url: '/docs/json' })).json()).toEqual(document);
  });
});

describe('the API answers as documented', () => {
  const operations = () => documentedOperations(document);
  const validate = () => jsonSchemaValidator(document);

  async function call(operation: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
    const res = await h.app.inject({ method, url, headers: auth, ...(payload === undefined ? {} : { payload: payload as object }) });
    const documented = operations().get(operation)!.responses[String(res.statusCode)];
    expect([operation, res.statusCode, documented === undefined ? 'undocumented status' : 'documented']).toEqual([operation, res.statusCode, 'documented']);
    expect([operation, res.statusCode, validate()(documented!.content['application/json']!.schema, res.json())]).toEqual([operation, res.statusCode, []]);
    return res;
  }

  test('incidents, their history, deliveries, settings and integrations', async () => {
    const incident = readFixture('medium-recon.json');
    expect((await call('POST /v1/incidents', 'POST', '/v1/incidents', incident)).statusCode).toBe(202);
    expect((await call('POST /v1/incidents', 'POST', '/v1/incidents', incident)).statusCode).toBe(200);
    expect((await call('POST /v1/incidents', 'POST', '/v1/incidents', { ...incident, risk: { score: 101 } })).statusCode).toBe(400);
    h.startIngestWorker();
    await h.eventually(async () => (await h.app.inject({ method: 'GET', url: `/v1/incidents/${incident.id}`, headers: auth })).json<{ status: string }>().status === 'ingested');
    await call('GET /v1/incidents/{id}', 'GET', `/v1/incidents/${incident.id}`);
    await call('GET /v1/incidents/{id}/history', 'GET', `/v1/incidents/${incident.id}/history`);
    const { nextCursor } = (await call('GET /v1/incidents/{id}/history', 'GET', `/v1/incidents/${incident.id}/history?limit=1`)).json<{ nextCursor: string }>();
    await call('GET /v1/incidents/{id}/history', 'GET', `/v1/incidents/${incident.id}/history?limit=1&cursor=${nextCursor}`);
    expect((await call('GET /v1/incidents/{id}/history', 'GET', `/v1/incidents/${incident.id}/history?limit=0`)).statusCode).toBe(400);
    expect((await call('GET /v1/incidents/{id}', 'GET', '/v1/incidents/INC-UNKNOWN')).statusCode).toBe(404);
    expect((await call('GET /v1/incidents/{id}/ticket-preview', 'GET', `/v1/incidents/${incident.id}/ticket-preview?target=jira`)).statusCode).toBe(409);
    // Jira on a port nothing listens on: a preview, a push and its delivery, and a failing connection test.
    const jira = { enabled: true, baseUrl: 'http://127.0.0.1:9', deployment: 'server', projectKey: 'SEC', apiToken: 'jira-token-1234' };
    await call('PUT /v1/integrations/{system}', 'PUT', '/v1/integrations/jira', jira);
    await call('GET /v1/incidents/{id}/ticket-preview', 'GET', `/v1/incidents/${incident.id}/ticket-preview?target=jira`);
    const { deliveryId } = (await call('POST /v1/incidents/{id}/tickets', 'POST', `/v1/incidents/${incident.id}/tickets`, { target: 'jira' })).json<{ deliveryId: string }>();
    expect(deliveryId).toEqual(expect.any(String));
    expect((await call('GET /v1/deliveries', 'GET', '/v1/deliveries?limit=5')).json<{ items: unknown[] }>().items).not.toEqual([]);
    await call('GET /v1/deliveries/{id}', 'GET', `/v1/deliveries/${deliveryId}`);
    expect((await call('POST /v1/deliveries/{id}/retry', 'POST', `/v1/deliveries/${deliveryId}/retry`)).statusCode).toBe(409);
    expect((await call('POST /v1/incidents/{id}/risk', 'POST', `/v1/incidents/${incident.id}/risk`, { score: 91, reason: 'escalated' })).statusCode).toBe(202);
    expect((await call('GET /v1/deliveries/{id}', 'GET', '/v1/deliveries/0b6f2f4e-8d1a-4c55-9a3e-2f1d7c9b6a10')).statusCode).toBe(404);
    await call('GET /v1/auto-push', 'GET', '/v1/auto-push');
    await call('PUT /v1/auto-push', 'PUT', '/v1/auto-push', { enabled: false, minSeverity: 'HIGH', targets: ['jira'] });
    await call('GET /v1/integrations', 'GET', '/v1/integrations');
    await call('GET /v1/settings/integrations/{system}', 'GET', '/v1/settings/integrations/jira');
    expect((await call('POST /v1/integrations/{system}/test', 'POST', '/v1/integrations/jira/test')).json()).toMatchObject({ ok: false });
    expect((await call('GET /v1/integrations/{system}', 'GET', '/v1/integrations/remedy')).statusCode).toBe(404);
  });
});
