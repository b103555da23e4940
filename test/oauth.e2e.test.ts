import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startJiraSimulator, startServiceNowSimulator, type JiraSimulator, type ServiceNowSimulator } from '@rhx/testing';
import { auth, readFixture, startHarness, type Harness } from './harness.js';

// OAuth 2.0 end to end (issue 16): set through the API, proven by Test Connection, used by the push workers
// with one token for the whole fleet, renewed once when it expires, and never anywhere it could leak.
const CLIENT = { clientId: 'rhx-bridge', clientSecret: 'oauth-client-secret-9f3e1a' };

let h: Harness;
let jira: JiraSimulator;
let snow: ServiceNowSimulator;
const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: { ...auth, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeAll(async () => {
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'nobody@acme.example', apiToken: 'unused-basic-token', oauth: CLIENT });
  snow = await startServiceNowSimulator({ username: 'rhx.bot', password: 'snow-pass-77', groups: {}, oauth: { ...CLIENT, grants: ['password'] } });
  h = await startHarness({ AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_TARGETS: 'jira' });
});
afterAll(async () => {
  await h.close();
  await jira.close();
  await snow.close();
});

const JIRA_OAUTH = {
  enabled: true, baseUrl: '', deployment: 'cloud', auth: 'oauth2-client-credentials', ...CLIENT, projectKey: 'SEC',
};

describe('Jira Cloud with OAuth 2.0 client credentials', () => {
  test('set through the API: the secret is write-only, and Test Connection names the method, the token endpoint and the gateway', async () => {
    const put = await call('PUT', '/v1/integrations/jira', { ...JIRA_OAUTH, baseUrl: jira.url, tokenUrl: `${jira.url}/oauth/token`, gatewayUrl: jira.url });
    expect(put.statusCode).toBe(200);
    const shown = JSON.stringify((await call('GET', '/v1/integrations/jira')).json());
    expect(shown).toContain('oauth2-client-credentials');
    expect(shown).not.toContain(CLIENT.clientSecret);
    const tested = (await call('POST', '/v1/integrations/jira/test')).json();
    expect(tested).toMatchObject({ ok: true, message: expect.stringContaining('OAuth 2.0 client credentials: the token endpoint answered; calls go through 127.0.0.1') });
    // The cloud id was found from the site; the API went through the gateway, never the site's REST path.
    const paths = jira.requests().map((r) => r.path);
    expect(paths).toContain('/_edge/tenant_info');
    expect(paths.filter((p) => p.startsWith('/rest/api/'))).toEqual([]);
  });

  test('a new client id without its secret is refused, naming clientSecret; a wrong secret is the token endpoint’s reason', async () => {
    const refused = await call('PUT', '/v1/integrations/jira', { clientId: 'another-client' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { details: [{ path: 'clientSecret', message: expect.stringMatching(/required again/) }] } });
    expect((await call('PUT', '/v1/integrations/jira', { clientId: 'another-client', clientSecret: 'not-the-secret-1234' })).statusCode).toBe(200);
    const tested = (await call('POST', '/v1/integrations/jira/test')).json();
    expect(tested.ok).toBe(false);
    expect(tested.message).toContain('token endpoint refused OAuth 2.0 client credentials: invalid_client');
    expect(JSON.stringify(tested)).not.toContain('not-the-secret-1234');
    expect((await call('PUT', '/v1/integrations/jira', { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret })).statusCode).toBe(200);
  });

  test('two push workers make tickets with one token between them, sealed in Redis; an expired token is renewed once', async () => {
    expect((await call('POST', '/v1/integrations/jira/test')).json().ok).toBe(true);
    const issuedBefore = jira.tokens!.issued();
    await h.startIngestWorker();
    await h.startPushWorker();
    await h.startPushWorker();
    const post = (id: string) => call('POST', '/v1/incidents', { ...readFixture('critical-exfiltration.json'), id });
    for (const id of ['OAUTH-1', 'OAUTH-2', 'OAUTH-3', 'OAUTH-4']) expect((await post(id)).statusCode).toBe(202);
    await h.eventually(async () => (await h.prisma.ticketRef.count({ where: { system: 'jira' } })) === 4, 30_000);
    // Test Connection's token is in the fleet's cache: neither worker had to ask for one.
    expect(jira.tokens!.issued()).toBe(issuedBefore);

    jira.tokens!.expireAll();
    expect((await post('OAUTH-5')).statusCode).toBe(202);
    await h.eventually(async () => (await h.prisma.ticketRef.count({ where: { system: 'jira' } })) === 5, 30_000);
    expect(jira.tokens!.issued()).toBe(issuedBefore + 1);
    expect(jira.issues()).toHaveLength(5);

    const tokens = jira.tokens!.issuedTokens();
    const leaks = [...tokens, CLIENT.clientSecret];
    const stored = await redisText(h);
    expect(stored).toContain(':oauth-token:');
    for (const secret of leaks) {
      expect(stored).not.toContain(secret);
      expect(h.logs.lines.join('')).not.toContain(secret);
    }
    const history = JSON.stringify((await call('GET', '/v1/incidents/OAUTH-5/history?limit=50')).json());
    for (const secret of leaks) expect(history).not.toContain(secret);
  });
});

describe('ServiceNow with OAuth', () => {
  test('a grant the instance has not enabled: Test Connection gives the instance’s reason; the password grant works', async () => {
    const base = { enabled: true, instanceUrl: snow.url, username: 'rhx.bot', password: 'snow-pass-77', ...CLIENT };
    expect((await call('PUT', '/v1/integrations/servicenow', { ...base, auth: 'oauth2-client-credentials' })).statusCode).toBe(200);
    const refused = (await call('POST', '/v1/integrations/servicenow/test')).json();
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('unauthorized_client: client credentials grant is not enabled on this instance') });
    expect((await call('PUT', '/v1/integrations/servicenow', { auth: 'oauth2-password', clientSecret: CLIENT.clientSecret, password: 'snow-pass-77' })).statusCode).toBe(200);
    const tested = (await call('POST', '/v1/integrations/servicenow/test')).json();
    expect(tested).toMatchObject({ ok: true, message: expect.stringContaining('(OAuth 2.0 password grant: the token endpoint answered)') });
    expect(snow.requests().filter((r) => r.path === '/oauth_token.do').every((r) => r.headers['content-type'] === 'application/x-www-form-urlencoded')).toBe(true);
  });
});

describe('an API token with an expiry date', () => {
  test('within two weeks of it, the integration’s description warns (the console shows the same list); a later date does not', async () => {
    const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const basic = { auth: 'basic', email: 'nobody@acme.example', apiToken: 'unused-basic-token' };
    expect((await call('PUT', '/v1/integrations/jira', { ...basic, apiTokenExpires: inDays(60) })).statusCode).toBe(200);
    expect((await call('GET', '/v1/integrations/jira')).json().warnings).toEqual([]);
    expect((await call('PUT', '/v1/integrations/jira', { apiTokenExpires: inDays(5) })).statusCode).toBe(200);
    const warnings = (await call('GET', '/v1/integrations/jira')).json().warnings as string[];
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^The API token expires on ${inDays(5)}, in [56] days`))]);
    const bad = await call('PUT', '/v1/integrations/jira', { apiTokenExpires: '2027-02-30' });
    expect(bad.json()).toMatchObject({ error: { details: [{ path: 'apiTokenExpires', message: 'must be a real calendar date' }] } });
  });
});

/** Every string and hash value under the harness's Redis prefix, as one text to search. */
async function redisText(harness: Harness): Promise<string> {
  const keys = await harness.redis.keys(`${harness.config.QUEUE_PREFIX}:*`);
  const parts: string[] = [];
  for (const key of keys) {
    const type = await harness.redis.type(key);
    if (type === 'string') parts.push(key, (await harness.redis.get(key)) ?? '');
    if (type === 'hash') parts.push(key, JSON.stringify(await harness.redis.hgetall(key)));
    if (type === 'list') parts.push(key, JSON.stringify(await harness.redis.lrange(key, 0, -1)));
  }
  return parts.join('\n');
}
