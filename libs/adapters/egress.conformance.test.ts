import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { makePrivatePki, startForwardProxy, startJiraSimulator, startServiceNowSimulator, startTlsFront, type ForwardProxy, type JiraSimulator, type PrivatePki, type ServiceNowSimulator, type TlsFront } from '@rhx/testing';
import { bypassesProxy, proxySettingsFrom } from './http/egress.js';
import { HostPolicy } from './http/host-policy.js';
import { createAdapter } from './registry.js';
import { TicketError } from './ticket-error.js';

// Enterprise networks (issue 16): calls through a forward proxy (CONNECT, Basic proxy auth, NO_PROXY),
// remotes on a private CA, and one that requires a client certificate; each failure said plainly.
const TOKEN = 'jira-egress-token-42';
const PROXY_PASSWORD = 'proxy-pass-secret-9';
let jira: JiraSimulator;
let snow: ServiceNowSimulator;
let proxy: ForwardProxy;
let authProxy: ForwardProxy;
let pki: PrivatePki;
let front: TlsFront;
let mtlsFront: TlsFront;

beforeAll(async () => {
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'soc@acme.test', apiToken: TOKEN });
  snow = await startServiceNowSimulator({ username: 'rhx', password: 'snow-egress-pw', groups: {} });
  proxy = await startForwardProxy();
  authProxy = await startForwardProxy({ user: 'egress', password: PROXY_PASSWORD });
  pki = makePrivatePki();
  front = await startTlsFront(pki, jira.url);
  mtlsFront = await startTlsFront(pki, snow.url, { requireClientCert: true });
});
afterAll(async () => {
  await Promise.all([jira.close(), snow.close(), proxy.close(), authProxy.close(), front.close(), mtlsFront.close()]);
  pki.remove();
});

const jiraAt = (baseUrl: string, options: Parameters<typeof createAdapter>[2]) =>
  createAdapter('jira', { deployment: 'cloud', baseUrl, email: 'soc@acme.test', apiToken: TOKEN, projectKey: 'SEC' }, options);
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as TicketError);

describe('the egress proxy', () => {
  test('every call goes through it (CONNECT to the remote), and the push works', async () => {
    const before = proxy.tunnels.length;
    const a = jiraAt(jira.url, { httpTimeoutMs: 5000, proxy: { httpProxy: proxy.url, noProxy: [] } });
    await expect(a.testConnection()).resolves.toMatchObject({ message: expect.stringContaining('Connected to Jira') });
    expect(proxy.tunnels.slice(before)).toContain(new URL(jira.url).host);
  });

  test('NO_PROXY names the host: the call goes directly, the proxy sees nothing', async () => {
    const before = proxy.tunnels.length;
    const a = jiraAt(jira.url, { httpTimeoutMs: 5000, proxy: { httpProxy: proxy.url, noProxy: ['127.0.0.1'] } });
    await a.testConnection();
    expect(proxy.tunnels.length).toBe(before);
  });

  test('proxy credentials: the right ones pass; wrong ones fail plainly (407), permanently, and never show', async () => {
    const good = jiraAt(jira.url, { httpTimeoutMs: 5000, proxy: { httpProxy: authProxy.url, noProxy: [] } });
    await expect(good.testConnection()).resolves.toBeDefined();
    const wrong = authProxy.url.replace(encodeURIComponent(PROXY_PASSWORD), 'not-the-password');
    const error = await failure(jiraAt(jira.url, { httpTimeoutMs: 5000, proxy: { httpProxy: wrong, noProxy: [] } }).testConnection());
    expect(error).toMatchObject({ code: 'CONFIGURATION', retryable: false, message: expect.stringContaining('HTTP 407: proxy authentication required') });
    expect(JSON.stringify(error) + String(error)).not.toContain('not-the-password');
  });

  test('the allowed-hosts rule still applies to the target, by its name or address (the proxy resolves it)', async () => {
    const policy = new HostPolicy({ any: false, names: [], suffixes: [], networks: [] });
    const error = await failure(jiraAt(jira.url, { httpTimeoutMs: 5000, hostPolicy: policy, proxy: { httpProxy: proxy.url, noProxy: [] } }).testConnection());
    expect(error).toMatchObject({ code: 'CONFIGURATION', message: expect.stringContaining('INTEGRATION_ALLOWED_HOSTS') });
  });

  test('the variables: HTTPS_PROXY or HTTP_PROXY, lower case too; NO_PROXY by name, domain, port and *', () => {
    expect(proxySettingsFrom({})).toBeUndefined();
    expect(proxySettingsFrom({ https_proxy: 'http://p:3128', NO_PROXY: '.corp.example, jira.local:8443' })).toEqual({ httpsProxy: 'http://p:3128', noProxy: ['.corp.example', 'jira.local:8443'] });
    expect(bypassesProxy('snow.corp.example', 443, ['.corp.example'])).toBe(true);
    expect(bypassesProxy('corp.example', 443, ['*.corp.example'])).toBe(true);
    expect(bypassesProxy('evilcorp.example', 443, ['.corp.example'])).toBe(false);
    expect(bypassesProxy('jira.local', 443, ['jira.local:8443'])).toBe(false);
    expect(bypassesProxy('anything', 1, ['*'])).toBe(true);
  });
});

describe('a private CA and client certificates', () => {
  test('without the CA, the remote\'s certificate is refused, said plainly and permanently', async () => {
    const error = await failure(jiraAt(front.url, { httpTimeoutMs: 5000 }).testConnection());
    expect(error).toMatchObject({ code: 'CONFIGURATION', retryable: false, message: expect.stringMatching(/not signed by a CA this process trusts|CA this process does not trust/) });
  });

  test('with the system\'s CA bundle it connects (and public CAs still work beside it)', async () => {
    const a = jiraAt(front.url, { httpTimeoutMs: 5000, tls: { jira: { ca: pki.caCert } } });
    await expect(a.testConnection()).resolves.toMatchObject({ message: expect.stringContaining('Connected to Jira') });
  });

  test('a remote that requires a client certificate: without one it fails plainly; with one it connects', async () => {
    const settings = { instanceUrl: mtlsFront.url, username: 'rhx', password: 'snow-egress-pw' };
    const without = await failure(createAdapter('servicenow', settings, { httpTimeoutMs: 5000, tls: { servicenow: { ca: pki.caCert } } }).testConnection());
    expect(without).toMatchObject({ code: 'CONFIGURATION', retryable: false, message: 'ServiceNow could not be reached securely: it asks for a client certificate and none was given (<SYSTEM>_CLIENT_CERT_FILE and _KEY_FILE)' });
    const withCert = createAdapter('servicenow', settings, { httpTimeoutMs: 5000, tls: { servicenow: { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey } } });
    await expect(withCert.testConnection()).resolves.toMatchObject({ message: expect.stringContaining('Connected to ServiceNow') });
  });

  test('through the proxy and on the private CA at once', async () => {
    const before = proxy.tunnels.length;
    const a = jiraAt(front.url, { httpTimeoutMs: 5000, proxy: { httpsProxy: proxy.url, noProxy: [] }, tls: { jira: { ca: pki.caCert } } });
    await expect(a.testConnection()).resolves.toBeDefined();
    expect(proxy.tunnels.slice(before)).toContain(new URL(front.url).host);
  });
});
