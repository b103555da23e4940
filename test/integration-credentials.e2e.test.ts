import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { startJiraSimulator, type JiraSimulator } from '@rhx/testing';
import { auth, startHarness, type Harness } from './harness.js';

const REAL_TOKEN = 'jira-real-token-5c1d0e';
const EMAIL = 'bot@acme.example';
const LISTENER_BODY = 'LISTENER-BODY-7a2f';

/** A stranger's server on 127.0.0.1 that records every request's headers and answers with its own text. */
interface Listener {
  url: string;
  headers: IncomingHttpHeaders[];
  status: number;
  close(): Promise<void>;
}

async function startListener(): Promise<Listener> {
  const headers: IncomingHttpHeaders[] = [];
  const listener = { headers, status: 401 } as Listener;
  const server: Server = createServer((req, res) => {
    headers.push(req.headers);
    res.writeHead(listener.status, { 'content-type': 'application/json' }).end(JSON.stringify({ message: LISTENER_BODY, id: 7, displayName: 7 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  listener.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return listener;
}

function client(h: () => Harness) {
  return async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    h().app.inject({ method, url, headers: { ...auth, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

const pathsOf = (body: { error: { details: { path: string }[] } }) => body.error.details.map((d) => d.path).sort();

describe('write-only secrets stay with their URL (loopback listed, as in development)', () => {
  let h: Harness;
  let jira: JiraSimulator;
  let listener: Listener;
  const call = client(() => h);
  const realBasic = Buffer.from(`${EMAIL}:${REAL_TOKEN}`).toString('base64');

  beforeAll(async () => {
    jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: EMAIL, apiToken: REAL_TOKEN });
    listener = await startListener();
    h = await startHarness();
    const put = await call('PUT', '/v1/integrations/jira', { enabled: true, baseUrl: jira.url, deployment: 'cloud', email: EMAIL, apiToken: REAL_TOKEN, projectKey: 'SEC' });
    expect(put.statusCode).toBe(200);
  });
  afterAll(async () => {
    await h.close();
    await jira.close();
    await listener.close();
  });
  beforeEach(() => {
    listener.headers.length = 0;
  });

  test('a new baseUrl or email without the token is refused, names apiToken, and writes nothing', async () => {
    for (const change of [{ baseUrl: `${listener.url}/x` }, { email: 'someone@else.example' }, { baseUrl: `${listener.url}/x`, projectKey: 'SEC' }]) {
      const res = await call('PUT', '/v1/integrations/jira', change);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'INVALID_INPUT', details: [{ path: 'apiToken', message: expect.stringMatching(/required again/) }] } });
    }
    const withQuery = await call('PUT', '/v1/integrations/jira', { baseUrl: `${listener.url}/x?` });
    expect(pathsOf(withQuery.json())).toEqual(['apiToken', 'baseUrl']);
    const test = (await call('POST', '/v1/integrations/jira/test')).json();
    expect(test.ok).toBe(true);
    expect(listener.headers).toHaveLength(0);
    expect((await h.integrations.read('jira'))?.values).toMatchObject({ baseUrl: jira.url, email: EMAIL, apiToken: REAL_TOKEN });
  });

  test('re-sending the unchanged URL needs no token', async () => {
    expect((await call('PUT', '/v1/integrations/jira', { baseUrl: jira.url, email: EMAIL, issueType: 'Task' })).statusCode).toBe(200);
  });

  test('pointed elsewhere with another token, the real token never reaches the listener and its body is never quoted', async () => {
    const put = await call('PUT', '/v1/integrations/jira', { baseUrl: `${listener.url}/x`, apiToken: 'attacker-chosen-token' });
    expect(put.statusCode).toBe(200);
    for (const status of [401, 200]) {
      listener.status = status;
      const answer = await call('POST', '/v1/integrations/jira/test');
      expect(answer.json().ok).toBe(false);
      expect(answer.body).not.toContain(LISTENER_BODY);
      const lastTest = (await call('GET', '/v1/integrations')).json()[0].lastTest;
      expect(lastTest.message).not.toContain(LISTENER_BODY);
    }
    const seen = JSON.stringify(listener.headers);
    expect(listener.headers.length).toBeGreaterThan(0);
    expect(seen).not.toContain(REAL_TOKEN);
    expect(seen).not.toContain(realBasic);
  });

  test('a token change applies to the very next connection test', async () => {
    expect((await call('PUT', '/v1/integrations/jira', { baseUrl: jira.url, apiToken: REAL_TOKEN })).statusCode).toBe(200);
    expect((await call('POST', '/v1/integrations/jira/test')).json().ok).toBe(true);
    expect((await call('PUT', '/v1/integrations/jira', { apiToken: 'wrong' })).statusCode).toBe(200);
    expect((await call('POST', '/v1/integrations/jira/test')).json()).toMatchObject({ ok: false, message: expect.stringMatching(/HTTP 401/) });
    expect((await call('PUT', '/v1/integrations/jira', { apiToken: REAL_TOKEN })).statusCode).toBe(200);
    expect((await call('POST', '/v1/integrations/jira/test')).json().ok).toBe(true);
  });

  test('concurrent changes to different fields are all kept', async () => {
    for (let round = 0; round < 5; round += 1) {
      const key = `K${round}`;
      await Promise.all([
        call('PUT', '/v1/integrations/jira', { projectKey: key }),
        call('PUT', '/v1/integrations/jira', { issueType: `Type${round}` }),
        call('PUT', '/v1/integrations/jira', { deployment: round % 2 ? 'server' : 'cloud' }),
      ]);
      const settings = (await h.integrations.read('jira'))?.values;
      expect(settings).toMatchObject({ projectKey: key, issueType: `Type${round}`, deployment: round % 2 ? 'server' : 'cloud' });
    }
    await call('PUT', '/v1/integrations/jira', { projectKey: 'SEC', issueType: 'Task', deployment: 'cloud' });
  });
});

describe('INTEGRATION_ALLOWED_HOSTS unset: public hosts only, the environment’s own URL trusted', () => {
  let h: Harness;
  let listener: Listener;
  const call = client(() => h);

  beforeAll(async () => {
    listener = await startListener();
    h = await startHarness({
      INTEGRATION_ALLOWED_HOSTS: '',
      JIRA_URL: `${listener.url}/`,
      JIRA_EMAIL: EMAIL,
      JIRA_API_TOKEN: 'env-token-3e9a',
      JIRA_PROJECT_KEY: 'SEC',
    });
  });
  afterAll(async () => {
    await h.close();
    await listener.close();
  });
  beforeEach(() => {
    listener.headers.length = 0;
  });

  test.each([
    ['jira', { baseUrl: 'http://169.254.169.254/latest/meta-data', apiToken: 't' }, 'baseUrl', '169.254.169.254'],
    ['jira', { baseUrl: 'http://127.0.0.1:9/', apiToken: 't' }, 'baseUrl', '127.0.0.1'],
    ['jira', { baseUrl: 'http://localhost:9/', apiToken: 't' }, 'baseUrl', 'localhost'],
    ['servicenow', { instanceUrl: 'http://[fd00:ec2::254]', username: 'u', password: 'p' }, 'instanceUrl', 'fd00:ec2::254'],
    ['servicenow', { instanceUrl: '10.0.0.5', username: 'u', password: 'p' }, 'instanceUrl', '10.0.0.5'],
  ] as const)('%s %j is refused naming the field and the variable', async (system, change, field, host) => {
    const before = await h.integrations.read(system);
    const res = await call('PUT', `/v1/integrations/${system}`, change);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_INPUT', details: [{ path: field, message: expect.stringContaining(host) }] });
    expect(res.json().error.details[0].message).toContain('INTEGRATION_ALLOWED_HOSTS');
    expect(await h.integrations.read(system)).toEqual(before);
  });

  test('the environment’s JIRA_URL is reached without listing; another URL on that host is not', async () => {
    expect((await call('POST', '/v1/integrations/jira/test')).json().ok).toBe(false);
    expect(listener.headers).toHaveLength(1);
    const res = await call('PUT', '/v1/integrations/jira', { baseUrl: `${listener.url}/other`, apiToken: 'another' });
    expect(pathsOf(res.json())).toEqual(['baseUrl']);
  });

  test('a stored name that resolves to loopback is refused at connect time, permanently, naming the host', async () => {
    await h.integrations.write('jira', { baseUrl: `${listener.url.replace('127.0.0.1', 'localhost')}`, apiToken: 'another' }, true);
    const answer = (await call('POST', '/v1/integrations/jira/test')).json();
    expect(answer).toMatchObject({ ok: false, message: expect.stringMatching(/not contacted: localhost is not a public address; list it in INTEGRATION_ALLOWED_HOSTS/) });
    expect(listener.headers).toHaveLength(0);
  });
});
