import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startJiraSimulator, type JiraSimulator } from '@rhx/testing';
import { apiCaller, startHarness, type Harness } from './harness.js';

// Issue 18: after a settings change, the status must not keep saying "passed" and "healthy" for the old
// values: the last test is cleared (untested) until the next test, and a refusal seen with the old
// credentials no longer shows. Saving the same values again changes nothing.
let h: Harness;
let jira: JiraSimulator;
const { call } = apiCaller(() => h);
const jiraStatus = async () => ((await call('GET', '/v1/integrations')).json() as { system: string; lastTest: unknown; health: { ok: boolean } }[]).find((s) => s.system === 'jira')!;

beforeAll(async () => {
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC', 'OPS'], email: 'bot@acme.example', apiToken: 'jira-untested-token' });
  h = await startHarness();
  await call('PUT', '/v1/integrations/jira', { enabled: true, baseUrl: jira.url, email: 'bot@acme.example', apiToken: 'jira-untested-token', projectKey: 'SEC' });
});
afterAll(async () => {
  await h.close();
  await jira.close();
});

test('a passed test is forgotten when a setting changes, and kept when nothing did', async () => {
  expect((await call('POST', '/v1/integrations/jira/test')).json()).toMatchObject({ ok: true });
  expect((await jiraStatus()).lastTest).toMatchObject({ ok: true });
  await call('PUT', '/v1/integrations/jira', { projectKey: 'SEC' });
  expect((await jiraStatus()).lastTest).toMatchObject({ ok: true });
  await call('PUT', '/v1/integrations/jira', { projectKey: 'OPS' });
  expect(await jiraStatus()).toMatchObject({ lastTest: null, health: { ok: true } });
});

test('a refusal of the old token stops showing once a new token is saved; the next test decides', async () => {
  await call('PUT', '/v1/integrations/jira', { apiToken: 'a-wrong-token-000' });
  expect((await call('POST', '/v1/integrations/jira/test')).json()).toMatchObject({ ok: false });
  expect(await jiraStatus()).toMatchObject({ health: { ok: false }, lastTest: { ok: false } });
  await call('PUT', '/v1/integrations/jira', { apiToken: 'jira-untested-token' });
  expect(await jiraStatus()).toMatchObject({ health: { ok: true }, lastTest: null });
  expect((await call('POST', '/v1/integrations/jira/test')).json()).toMatchObject({ ok: true });
  expect(await jiraStatus()).toMatchObject({ health: { ok: true }, lastTest: { ok: true } });
});
