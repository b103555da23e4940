import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startJiraSimulator, type JiraSimulator } from '@rhx/testing';
import { apiCaller, startHarness, type Harness } from './harness.js';

// Issue 18: Test Connection tests what is typed as well as what is stored, without saving it; a typed URL
// or account is tested only with its secret typed too, so a stored secret never goes somewhere new.
let h: Harness;
let jira: JiraSimulator;
let elsewhere: JiraSimulator;
const { call } = apiCaller(() => h);
const TOKEN = 'jira-typed-test-token';

beforeAll(async () => {
  [jira, elsewhere] = await Promise.all([
    startJiraSimulator({ deployment: 'cloud', projects: ['SEC', 'OPS'], email: 'bot@acme.example', apiToken: TOKEN }),
    startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bot@acme.example', apiToken: 'other-site-token-1' }),
  ]);
  h = await startHarness();
  await call('PUT', '/v1/integrations/jira', { enabled: true, baseUrl: jira.url, email: 'bot@acme.example', apiToken: TOKEN, projectKey: 'SEC' });
});
afterAll(async () => {
  await h.close();
  await Promise.all([jira.close(), elsewhere.close()]);
});

const stored = async () => (await call('GET', '/v1/integrations/jira')).json().settings as Record<string, string>;

test('typed values are tested over the stored ones and nothing is saved or recorded as the last test', async () => {
  expect((await call('POST', '/v1/integrations/jira/test')).json()).toMatchObject({ ok: true });
  const lastTest = (await call('GET', '/v1/integrations/jira')).json().lastTest;
  const typed = await call('POST', '/v1/integrations/jira/test', { projectKey: 'NOPE' });
  expect(typed.statusCode).toBe(200);
  expect(typed.json()).toMatchObject({ ok: false, message: expect.stringContaining('NOPE') });
  expect(await stored()).toMatchObject({ projectKey: 'SEC' });
  expect((await call('GET', '/v1/integrations/jira')).json().lastTest).toEqual(lastTest);
  expect((await call('POST', '/v1/integrations/jira/test', { projectKey: 'OPS' })).json()).toMatchObject({ ok: true });
});

test('a typed URL without its secret is refused before anything is sent: the stored token never goes to a new host', async () => {
  const before = elsewhere.requests().length;
  const res = await call('POST', '/v1/integrations/jira/test', { baseUrl: elsewhere.url });
  expect(res.statusCode).toBe(400);
  expect(JSON.stringify(res.json().error)).toContain('apiToken');
  expect(elsewhere.requests().length).toBe(before);
  // With its own secret typed, the new site is tested; still nothing saved.
  expect((await call('POST', '/v1/integrations/jira/test', { baseUrl: elsewhere.url, apiToken: 'other-site-token-1' })).json()).toMatchObject({ ok: true });
  expect(elsewhere.requests().length).toBeGreaterThan(before);
  expect(await stored()).toMatchObject({ baseUrl: jira.url });
});

test('a typed value that is not valid is a 400 naming it', async () => {
  const res = await call('POST', '/v1/integrations/jira/test', { baseUrl: 'ftp://nowhere' });
  expect(res.statusCode).toBe(400);
  expect(JSON.stringify(res.json().error)).toContain('baseUrl');
});
