import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  makePrivatePki, startForwardProxy, startServiceNowSimulator, startTlsFront,
  type ForwardProxy, type PrivatePki, type ServiceNowSimulator, type TlsFront,
} from '@rhx/testing';
import { auth, readFixture, startHarness, type Harness } from './harness.js';

// A system's own way out, set through the API (issue 16): its proxy with credentials, its private CA and
// a client certificate, each checked when saved and used by Test Connection and the push workers.
const PROXY_PASSWORD = 'proxy-secret-55ab';
let h: Harness;
let snow: ServiceNowSimulator;
let proxy: ForwardProxy;
let pki: PrivatePki;
let mtls: TlsFront;
const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: { ...auth, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeAll(async () => {
  snow = await startServiceNowSimulator({ username: 'rhx.bot', password: 'snow-net-pw', groups: {} });
  proxy = await startForwardProxy({ user: 'egress', password: PROXY_PASSWORD });
  pki = makePrivatePki();
  mtls = await startTlsFront(pki, snow.url, { requireClientCert: true });
  // The TLS front answers as localhost: listed, as an operator lists an internal instance.
  h = await startHarness({ INTEGRATION_ALLOWED_HOSTS: '127.0.0.1,localhost', AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_TARGETS: 'servicenow' });
});
afterAll(async () => {
  await h.close();
  await Promise.all([snow.close(), proxy.close(), mtls.close()]);
  pki.remove();
});

const SNOW = { enabled: true, username: 'rhx.bot', password: 'snow-net-pw' };

test('an instance on a private CA that wants a client certificate: without them Test Connection says why; with them it passes', async () => {
  expect((await call('PUT', '/v1/integrations/servicenow', { ...SNOW, instanceUrl: mtls.url })).statusCode).toBe(200);
  const untrusted = (await call('POST', '/v1/integrations/servicenow/test')).json();
  expect(untrusted.ok).toBe(false);
  expect(untrusted.message).toMatch(/certificate/i);

  const saved = await call('PUT', '/v1/integrations/servicenow', { caBundle: pki.caCert, clientCert: pki.clientCert, clientKey: pki.clientKey });
  expect(saved.statusCode).toBe(200);
  const shown = saved.json();
  expect(shown.settings.caBundle).toContain('BEGIN CERTIFICATE');
  expect(shown.secretsSet).toEqual(expect.arrayContaining(['clientCert', 'clientKey']));
  expect(JSON.stringify(shown)).not.toContain('PRIVATE KEY');
  expect((await call('POST', '/v1/integrations/servicenow/test')).json()).toMatchObject({ ok: true });
});

test('a key that does not go with the stored certificate, or a CA that is not PEM, is refused naming the field; the stored ones keep working', async () => {
  const other = makePrivatePki();
  try {
    const mismatch = await call('PUT', '/v1/integrations/servicenow', { clientKey: other.clientKey });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toMatchObject({ error: { details: [{ path: 'clientKey', message: expect.stringContaining('does not match') }] } });
    const notPem = await call('PUT', '/v1/integrations/servicenow', { caBundle: 'not a certificate' });
    expect(notPem.json()).toMatchObject({ error: { details: [{ path: 'caBundle' }] } });
    expect((await call('POST', '/v1/integrations/servicenow/test')).json()).toMatchObject({ ok: true });
  } finally {
    other.remove();
  }
});

test('the system’s own proxy with credentials: every call tunnels through it, tickets are made, and the password shows nowhere', async () => {
  const refused = await call('PUT', '/v1/integrations/servicenow', { proxy: 'http://user:pw@proxy.example:3128' });
  expect(refused.json()).toMatchObject({ error: { details: [{ path: 'proxy' }] } });
  const put = await call('PUT', '/v1/integrations/servicenow', { proxy: proxy.url.replace(/\/\/[^@]*@/, '//'), proxyCredentials: `egress:${PROXY_PASSWORD}` });
  expect(put.statusCode).toBe(200);
  expect(JSON.stringify(put.json())).not.toContain(PROXY_PASSWORD);
  const before = proxy.tunnels.length;
  expect((await call('POST', '/v1/integrations/servicenow/test')).json()).toMatchObject({ ok: true });
  expect(proxy.tunnels.length).toBeGreaterThan(before);

  await h.startIngestWorker();
  await h.startPushWorker();
  expect((await call('POST', '/v1/incidents', { ...readFixture('critical-exfiltration.json'), id: 'NET-1' })).statusCode).toBe(202);
  await h.eventually(async () => (await h.prisma.ticketRef.count({ where: { incidentId: 'NET-1' } })) === 1, 20_000);
  expect(proxy.tunnels.slice(before).every((t) => t === new URL(mtls.url).host)).toBe(true);
  expect(h.logs.lines.join('')).not.toContain(PROXY_PASSWORD);

  // `direct` ignores any proxy: the call goes straight to the instance.
  expect((await call('PUT', '/v1/integrations/servicenow', { proxy: 'direct' })).statusCode).toBe(200);
  const after = proxy.tunnels.length;
  expect((await call('POST', '/v1/integrations/servicenow/test')).json()).toMatchObject({ ok: true });
  expect(proxy.tunnels.length).toBe(after);
});
