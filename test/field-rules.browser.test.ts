import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { SECURITY_PROJECT_FIELDS, startJiraSimulator, type JiraSimulator } from '@rhx/testing';
import { auth, readFixture } from './harness.js';
import { startConsoleHarness, type ConsoleHarness } from './console-browser.js';

// Issue 14 in the console: a required field named by Test Connection, mapped in the Field rules box,
// shown by the preview, and sent by Create ticket.
const JIRA_TOKEN = 'jira-secret-token-cb14';
let c: ConsoleHarness;
let jira: JiraSimulator;
let page: Page;

const api = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  c.h.app.inject({ method, url, headers: { ...auth, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeAll(async () => {
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bot@acme.example', apiToken: JIRA_TOKEN, fields: SECURITY_PROJECT_FIELDS });
  c = await startConsoleHarness();
  c.h.startIngestWorker();
  c.h.startPushWorker();
  await api('PUT', '/v1/integrations/jira', { enabled: true, baseUrl: jira.url, deployment: 'cloud', email: 'bot@acme.example', apiToken: JIRA_TOKEN, projectKey: 'SEC' });
  ({ page } = await c.newPage());
  await c.signIn(page);
});
afterAll(async () => {
  await c.close();
  await jira.close();
});

test('map the required fields in the console, preview them, create the ticket with them', async () => {
  await page.goto(`${c.url}/console/integrations`);
  const card = page.locator('section#jira');
  await card.getByRole('button', { name: 'Test Connection' }).click();
  await card.locator('.field-problems li').first().waitFor();
  expect(await card.locator('.field-problems li').allInnerTexts()).toEqual([
    'customfield_10050 Security Severity (customfield_10050) is required: add a rule',
    'components Components (components) is required: add a rule',
  ]);

  await card.getByLabel('Field rules').fill('[{"field": "customfield_10050", "value": "{{severity}}", "map": {"HIGH": "High", "CRITICAL": "Critical"}}, oops');
  await card.getByRole('button', { name: /^Save .* settings$/ }).click();
  await expect(page.locator('section#jira .problems').innerText()).resolves.toMatch(/Field rules \(fields\) must be JSON/);

  await page.locator('section#jira').getByLabel('Field rules').fill(JSON.stringify([
    { field: 'customfield_10050', value: '{{severity}}', map: { HIGH: 'High', CRITICAL: 'Critical' } },
    { field: 'components', value: 'SOC' },
  ]));
  await page.locator('section#jira').getByRole('button', { name: /^Save .* settings$/ }).click();
  await expect(page.locator('.flash').first().innerText()).resolves.toBe('Jira settings saved.');
  await page.locator('section#jira').getByRole('button', { name: 'Test Connection' }).click();
  await page.locator('section#jira .test-result .flash.ok').waitFor();

  const incident = { ...readFixture('high-lateral-movement.json'), id: 'INC-CONSOLE-FIELDS' };
  expect((await api('POST', '/v1/incidents', incident)).statusCode).toBe(202);
  await c.h.eventually(async () => (await api('GET', `/v1/incidents/${incident.id}`)).statusCode === 200);
  await page.goto(`${c.url}/console/incidents/${incident.id}?preview=jira`);
  const shown = async (f: string) => JSON.parse(await page.locator(`#preview dd[data-field="${f}"]`).innerText()) as unknown;
  await expect(shown('customfield_10050')).resolves.toEqual({ value: 'High' });
  await expect(shown('components')).resolves.toEqual([{ name: 'SOC' }]);
  await page.getByRole('button', { name: 'Create Jira ticket' }).click();
  await c.h.eventually(async () => jira.issues().length === 1);
  expect(jira.issues()[0]!.fields).toMatchObject({ customfield_10050: { value: 'High' }, components: [{ name: 'SOC' }] });
});

test('turn resolving on in the console, then Resolve the incident: the Jira issue is resolved with the note and shows as Resolved', async () => {
  await page.goto(`${c.url}/console/integrations`);
  await page.locator('section#jira').getByLabel('Lifecycle').fill(JSON.stringify({ resolve: true, reopen: true }));
  await page.locator('section#jira').getByRole('button', { name: /^Save .* settings$/ }).click();
  await expect(page.locator('.flash').first().innerText()).resolves.toBe('Jira settings saved.');

  await page.goto(`${c.url}/console/incidents/INC-CONSOLE-FIELDS`);
  await expect(page.locator('#target-jira .remote-state').innerText()).resolves.toBe('State: not read yet');
  const resolve = page.locator('form.resolve');
  await expect(resolve.locator('.hint').first().innerText()).resolves.toContain('its 1 open ticket');
  await resolve.getByLabel('Close as').selectOption('FALSE_POSITIVE');
  await resolve.getByLabel(/^Note/).fill('Red-team exercise, agreed with the SOC lead.');
  await resolve.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.locator('.flash').first().innerText()).resolves.toBe('Incident marked FALSE_POSITIVE; resolving its Jira ticket.');
  await c.h.eventually(async () => jira.issues()[0]!.status.category === 'done');
  expect(JSON.stringify(jira.issues()[0]!.comments)).toContain('Red-team exercise, agreed with the SOC lead.');
  await c.h.eventually(async () => {
    await page.reload();
    return (await page.locator('#target-jira .remote-state').innerText()) === 'State: Resolved';
  });
  await expect(page.locator('form.resolve .hint').first().innerText()).resolves.toContain('no open ticket');
  await expect(page.locator('#history').innerText()).resolves.toContain('jira ticket SEC-1 resolved (incident FALSE_POSITIVE)');
});
