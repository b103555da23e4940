import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { startJiraSimulator, startServiceNowSimulator, type JiraSimulator, type ServiceNowSimulator } from '@rhx/testing';
import { auth, readFixture } from './harness.js';
import { OPERATOR, startConsoleHarness, type ConsoleHarness } from './console-browser.js';

// A real Chromium against the API (in this process, on a loopback port), the ticket workers and the
// simulators: what an operator does in the console, checked as they would see it.
const JIRA_TOKEN = 'jira-console-token-5d1e';
const SNOW_PASSWORD = 'snow-console-password-88c2';

let c: ConsoleHarness;
let jira: JiraSimulator;
let snow: ServiceNowSimulator;
let page: Page;

const api = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  c.h.app.inject({ method, url, headers: { ...auth, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function postIncident(incident: Record<string, unknown> & { id: string }) {
  expect((await api('POST', '/v1/incidents', incident)).statusCode).toBe(202);
  await c.h.eventually(async () => (await api('GET', `/v1/incidents/${incident.id}`)).json().status === 'ingested');
}

/** The visible text of the page's notice (the outcome of the last form). */
const notice = (p: Page) => p.locator('main .flash').first().innerText();

beforeAll(async () => {
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bot@acme.example', apiToken: JIRA_TOKEN });
  snow = await startServiceNowSimulator({ username: 'rhx.bot', password: SNOW_PASSWORD, groups: { 'SOC L2': 'c'.repeat(32) } });
  // One attempt per delivery: a failing simulator makes a FAILED delivery at once, for the Deliveries page.
  c = await startConsoleHarness({ RETRY_MAX_ATTEMPTS: '1', RHYTHMX_BASE_URL: 'https://rhythmx.example' });
  c.h.startIngestWorker();
  c.h.startPushWorker();
  page = (await c.newPage()).page;
}, 60_000);

afterAll(async () => {
  await c?.close();
  await jira?.close();
  await snow?.close();
});

describe('sign-in', () => {
  test('a page asks for sign-in first; a wrong password is refused, after a delay, with a clear error', async () => {
    await page.goto(`${c.url}/console/incidents`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.getByLabel('User name').fill(OPERATOR.user);
    await page.getByLabel('Password').fill('not-the-password');
    const started = Date.now();
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(response.status()).toBe(401);
    await expect(page.getByRole('alert').innerText()).resolves.toBe('Wrong user name or password.');
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  });

  test('the right password signs in, with an HttpOnly, SameSite=Strict session cookie, and lands on the page asked for', async () => {
    await page.getByLabel('Password').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${c.url}/console/incidents`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Incidents');
    const cookie = (await page.context().cookies()).find((k) => k.name === 'rhx_console')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console', secure: false });
  });

  test('a state-changing request without the CSRF token is refused and changes nothing', async () => {
    const before = (await api('GET', '/v1/auto-push')).json();
    // The browser's own cookies, but no token: what a forged cross-site form would send.
    const forged = await page.request.post(`${c.url}/console/auto-push`, { form: { enabled: 'on', minSeverity: 'LOW', targets: 'jira' } });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('CSRF token is missing or wrong');
    const wrong = await page.request.post(`${c.url}/console/auto-push`, { form: { _csrf: 'x'.repeat(43), enabled: 'on', minSeverity: 'LOW', targets: 'jira' } });
    expect(wrong.status()).toBe(403);
    expect((await api('GET', '/v1/auto-push')).json()).toEqual(before);
  });

  test('the Bull Board user signs in too, and sign-out ends the session', async () => {
    const { page: other } = await c.newPage();
    await c.signIn(other, { user: 'operator', password: 'board-pass-123' });
    await expect(other.locator('.sign-out strong').innerText()).resolves.toBe('operator');
    await other.getByRole('button', { name: 'Sign out' }).click();
    await expect(other.getByRole('status').innerText()).resolves.toBe('You are signed out.');
    await other.goto(`${c.url}/console/deliveries`);
    expect(new URL(other.url()).pathname).toBe('/console/sign-in');
  });
});
