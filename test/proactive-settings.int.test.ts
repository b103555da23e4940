import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { IntegrationSettingsStore } from '@rhx/settings';
import { startProactiveSimulator, type ProactiveSimulator } from '@rhx/testing';
import { auth, startHarness, type Harness, apiCaller } from './harness.js';

// The settings API in proactive mode (TICKET_INTEGRATION=proactive): `servicenow` holds the Proactive
// Case API's fields, in their own row, seeded from PROACTIVE_SNOW_*.
const SECRET = 'proactive-settings-secret-5d1e';
const APP_ID = 'rhx-app';

let h: Harness;
let sim: ProactiveSimulator;

const { call, responses } = apiCaller(() => h);
const paths = (res: { json(): { error: { details: { path: string }[] } } }) => res.json().error.details.map((d) => d.path).sort();

beforeAll(async () => {
  sim = await startProactiveSimulator({ appId: APP_ID, secret: SECRET, serviceIdentifiers: ['CI0012345', 'CI0054321'] });
  h = await startHarness({
    TICKET_INTEGRATION: 'proactive',
    PROACTIVE_SNOW_BASE_URL: sim.url,
    PROACTIVE_SNOW_APP_ID: APP_ID,
    PROACTIVE_SNOW_SECRET: SECRET,
    PROACTIVE_SNOW_SERVICE_IDENTIFIER: 'CI0012345',
    SNOW_ENABLED: 'true',
  });
});
afterAll(async () => {
  await h.close();
  await sim.close();
});

describe('servicenow settings in proactive mode', () => {
  test('are seeded from PROACTIVE_SNOW_* and read back with the secret only named as set', async () => {
    const res = await call('GET', '/v1/integrations/servicenow');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      system: 'servicenow',
      configured: true,
      enabled: true,
      lastTest: null,
      health: { ok: true, message: null, since: null },
      ticketIntegration: 'proactive',
      settings: { baseUrl: sim.url, appId: APP_ID, table: 'Case', source: 'Managed_services', serviceIdentifier: 'CI0012345' },
      secretsSet: ['secret'],
      warnings: [],
    });
    expect((await call('GET', '/v1/settings/integrations/servicenow')).json()).toEqual(res.json());
  });

  test('a change is saved and read back; the whole set can be given at once', async () => {
    const put = await call('PUT', '/v1/integrations/servicenow', { serviceIdentifier: 'CI0054321', table: 'Case' });
    expect(put.statusCode).toBe(200);
    expect(put.json().settings).toMatchObject({ serviceIdentifier: 'CI0054321' });
    const all = { enabled: true, baseUrl: sim.url, appId: APP_ID, secret: SECRET, table: 'Case', source: 'Managed_services', serviceIdentifier: 'CI0012345' };
    const again = await call('PUT', '/v1/settings/integrations/servicenow', all);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ configured: true, enabled: true, secretsSet: ['secret'], settings: { serviceIdentifier: 'CI0012345' } });
    const { enabled: _enabled, ...values } = all;
    expect((await h.integrations.read('servicenow'))?.values).toEqual(values);
  });

  test('Table API fields are refused, each named, with the fields there are', async () => {
    const res = await call('PUT', '/v1/integrations/servicenow', { instanceUrl: 'acme.service-now.com', password: 'table-api-password' });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(['instanceUrl', 'password']);
    expect(res.json().error.details[0].message).toBe(
      'is not a servicenow setting of the Proactive Case API (TICKET_INTEGRATION=proactive); the settings are enabled, baseUrl, appId, secret, table, source, serviceIdentifier, lifecycle, proxy, proxyCredentials, caBundle, clientCert, clientKey, clientKeyPassphrase',
    );
  });

  test.each([
    ['a new app id without the secret', ['secret'], { appId: 'other-app' }],
    ['a new base URL without the secret', ['secret'], { baseUrl: 'http://127.0.0.1:9/other' }],
    ['an empty service identifier', ['serviceIdentifier'], { serviceIdentifier: ' ' }],
    ['a base URL that is not one', ['baseUrl'], { baseUrl: 'cases.mssp.example', secret: SECRET }],
    ['a host INTEGRATION_ALLOWED_HOSTS does not list', ['baseUrl'], { baseUrl: 'http://10.1.2.3/api', secret: SECRET }],
    ['a Source with a line break', ['source'], { source: 'Managed\r\nX-Other: 1' }],
    ['an app id with a colon', ['appId'], { appId: 'a:b', secret: SECRET }],
  ])('%s is a 400 naming %j, and nothing is written', async (_name, expected, change) => {
    const before = await h.integrations.read('servicenow');
    const res = await call('PUT', '/v1/integrations/servicenow', change);
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(expected);
    expect(await h.integrations.read('servicenow')).toEqual(before);
  });

  test('the Table API row is untouched: switching the mode back never sees proactive fields', async () => {
    const standard = new IntegrationSettingsStore(h.prisma, h.config.SETTINGS_ENCRYPTION_KEY);
    const tableApi = await standard.read('servicenow');
    expect(Object.keys(tableApi?.values ?? {})).not.toEqual(expect.arrayContaining(['appId']));
    expect(tableApi?.configured).toBe(false);
    const rows = await h.prisma.integrationSettings.findMany({ orderBy: { system: 'asc' } });
    expect(rows.map((r) => r.system)).toEqual(['jira', 'proactive', 'servicenow']);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });
});

describe('test connection in proactive mode', () => {
  test('passes with one authenticated read and records lastTest', async () => {
    const reads = sim.requests().length;
    const res = (await call('POST', '/v1/integrations/servicenow/test')).json();
    expect(res).toEqual({ ok: true, message: `Connected to the Proactive Case API as ${APP_ID} with Source Managed_services; cases are readable`, latencyMs: expect.any(Number), problems: [] });
    const sent = sim.requests().slice(reads);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'GET', path: '/cases', query: { externalId: 'rhythmx-connection-test' }, status: 200 });
    expect(sent[0]!.headers).toMatchObject({ source: 'Managed_services', authorization: `Basic ${Buffer.from(`${APP_ID}:${SECRET}`).toString('base64')}` });
    const status = (await call('GET', '/v1/integrations')).json().find((s: { system: string }) => s.system === 'servicenow');
    expect(status.lastTest).toMatchObject({ ok: true, message: res.message });
  });

  test.each([
    ['a wrong secret', { secret: 'wrong-secret-value' }, 'Proactive Case API refused the request: HTTP 401 UNAUTHORIZED: invalid app id or secret'],
    ['a Source the provider does not allow', { source: 'Other_source' }, 'Proactive Case API refused the request: HTTP 403 SOURCE_NOT_ALLOWED: the Source header names no source allowed for this app id'],
  ])('fails with %s, reporting the remote’s reason; the integration is unhealthy until a test passes', async (_name, change, message) => {
    expect((await call('PUT', '/v1/integrations/servicenow', change)).statusCode).toBe(200);
    expect((await call('POST', '/v1/integrations/servicenow/test')).json()).toMatchObject({ ok: false, message });
    const failed = (await call('GET', '/v1/integrations/servicenow')).json();
    expect(failed).toMatchObject({ lastTest: { ok: false, message }, health: { ok: false, message } });
    await call('PUT', '/v1/integrations/servicenow', { secret: SECRET, source: 'Managed_services' });
    expect((await call('POST', '/v1/integrations/servicenow/test')).json().ok).toBe(true);
    expect((await call('GET', '/v1/integrations/servicenow')).json()).toMatchObject({ lastTest: { ok: true }, health: { ok: true, message: null } });
  });

  test('a disabled integration can still be tested', async () => {
    await call('PUT', '/v1/integrations/servicenow', { enabled: false });
    expect((await call('POST', '/v1/integrations/servicenow/test')).json().ok).toBe(true);
    await call('PUT', '/v1/integrations/servicenow', { enabled: true });
  });
});

test('no secret appears in any API answer or log line of the run', () => {
  const everything = responses.join('\n') + h.logs.lines.join('');
  for (const secret of [SECRET, 'wrong-secret-value', Buffer.from(`${APP_ID}:${SECRET}`).toString('base64')]) expect(everything).not.toContain(secret);
  expect(responses.length).toBeGreaterThan(10);
});
