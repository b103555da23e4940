import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { startJiraSimulator, type JiraSimulator } from '@rhx/testing';
import { auth, readFixture } from './harness.js';
import { startConsoleHarness, type ConsoleHarness } from './console-browser.js';

// Issue 18: the console on a phone (390 px wide) and in a wide window (1280 px): every page fits the screen
// (no sideways scrolling; lists become stacks of cards), and a hostile name cannot reorder the console's
// own text. Screenshots of every page at both widths go to docs/screenshots with UPDATE_SCREENSHOT=1.
const RLO = '\u202E';
const HOSTILE = { ...readFixture('low-minimal.json'), id: 'INC-2026-PHONE-0001', actor: { name: `mallory${RLO}gnp.exe`, type: 'user' } };
const WIDE_ID = { ...readFixture('high-lateral-movement.json'), id: 'INC-2026-0000000000000000000000000042' };
const PAGES = ['incidents', `incidents/${WIDE_ID.id}`, 'deliveries', 'integrations', 'auto-push', 'audit'] as const;
const SHOTS = process.env.UPDATE_SCREENSHOT === '1' ? join(process.cwd(), 'docs', 'screenshots') : join(tmpdir(), 'rhx-console', 'screenshots');

let c: ConsoleHarness;
let jira: JiraSimulator;

const api = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  c.h.app.inject({ method, url, headers: { ...auth, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function signedInPage(width: number): Promise<Page> {
  const context = await c.browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 } });
  const page = await context.newPage();
  await c.signIn(page);
  return page;
}

beforeAll(async () => {
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bot@acme.example', apiToken: 'jira-phone-token-1' });
  c = await startConsoleHarness();
  c.h.startIngestWorker();
  c.h.startPushWorker();
  expect((await api('PUT', '/v1/integrations/jira', { enabled: true, baseUrl: jira.url, email: 'bot@acme.example', apiToken: 'jira-phone-token-1', projectKey: 'SEC' })).statusCode).toBe(200);
  for (const incident of [HOSTILE, WIDE_ID]) {
    expect((await api('POST', '/v1/incidents', incident)).statusCode).toBe(202);
    await c.h.eventually(async () => (await api('GET', `/v1/incidents/${incident.id}`)).json().status === 'ingested');
  }
  expect((await api('POST', `/v1/incidents/${WIDE_ID.id}/tickets`, { target: 'jira' })).statusCode).toBe(202);
  await c.h.eventually(async () => (await api('GET', `/v1/incidents/${WIDE_ID.id}`)).json().tickets.length === 1);
  for (const score of [82, 93]) expect((await api('POST', `/v1/incidents/${WIDE_ID.id}/risk`, { score, reason: `rule fired at ${score}` })).statusCode).toBe(202);
  await c.h.eventually(async () => (await api('GET', `/v1/incidents/${WIDE_ID.id}`)).json().risk.score === 93 || undefined);
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await c?.close();
  await jira?.close();
});

/** The page's width against the screen's, with what sticks out named when something does. */
async function overflow(page: Page, path: string) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  const wide = scroll > client ? await page.evaluate(() => Array.from(document.querySelectorAll('body *'))
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${String(e.className)}`)) : [];
  return { actual: { path, scroll, wide }, fits: { path, scroll: client, wide: [] } };
}

describe.each([390, 1280])('at %i px', (width) => {
  test.each(PAGES)('/console/%s fits the screen (no sideways scrolling)', async (path) => {
    const page = await signedInPage(width);
    await page.goto(`${c.url}/console/${path}`);
    const { actual, fits } = await overflow(page, path);
    expect(actual).toEqual(fits);
    await page.screenshot({ path: join(SHOTS, `${path.includes('/') ? 'incident' : path}-${width}.png`), fullPage: width < 600 });
    await page.context().close();
  });

  test('the sign-in page fits the screen, its form in view', async () => {
    const context = await c.browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 } });
    const page = await context.newPage();
    await page.goto(`${c.url}/console/incidents`);
    // Without scrolling: the button's whole box lies inside the first screen.
    const button = (await page.getByRole('button', { name: 'Sign in' }).boundingBox())!;
    expect(button.y + button.height).toBeLessThanOrEqual(width < 600 ? 844 : 900);
    const { actual, fits } = await overflow(page, 'sign-in');
    expect(actual).toEqual(fits);
    await page.screenshot({ path: join(SHOTS, `sign-in-${width}.png`) });
    await context.close();
  });
});

test('at 390 px the incidents list is a stack of cards, each value under its label, ids whole on one line', async () => {
  const page = await signedInPage(390);
  await page.goto(`${c.url}/console/incidents`);
  const card = page.locator('table.cards tbody tr', { has: page.getByRole('link', { name: WIDE_ID.id }) });
  const box = (await card.boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(390);
  const severity = card.locator('[data-label="Severity"]');
  await expect(severity.innerText()).resolves.toBe('▮▮▮▮ CRITICAL');
  await expect(severity.evaluate((el) => getComputedStyle(el, '::before').content)).resolves.toBe('"Severity"');
  await expect(card.evaluate((el) => getComputedStyle(el).display)).resolves.toBe('block');
  // One line: the id's box is one line high (a break in the middle would double it).
  const id = card.getByRole('link', { name: WIDE_ID.id });
  const lineHeight = await id.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 24);
  expect((await id.boundingBox())!.height).toBeLessThanOrEqual(lineHeight * 1.2);
  await page.context().close();
});

test('MEDIUM and LOW differ in shape, not only in weight', async () => {
  const page = await signedInPage(1280);
  await page.goto(`${c.url}/console/incidents/${HOSTILE.id}`);
  await expect(page.locator('.sev').innerText()).resolves.toBe('▮▯▯▯ LOW');
  await page.context().close();
});

test('a right-to-left override in an actor name cannot flip the console’s own "(user)" label', async () => {
  const page = await signedInPage(1280);
  for (const path of ['incidents', `incidents/${HOSTILE.id}`]) {
    await page.goto(`${c.url}/console/${path}`);
    const label = page.locator('bdi', { hasText: 'mallory' }).locator('xpath=following-sibling::span[contains(@class, "hint")]').first();
    // Where the label's parentheses are drawn: "(user)" opens on the left; reordered by the override it would not.
    const [open, close] = await label.evaluate((el) => {
      const at = (node: Node, i: number) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect().left; };
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const texts: Node[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent) texts.push(n);
      const last = texts.at(-1)!;
      return [at(texts[0]!, 0), at(last, last.textContent!.length - 1)];
    });
    expect({ path, leftToRight: open < close }).toEqual({ path, leftToRight: true });
  }
  await page.context().close();
});

test('the incident page shows the whole incident: the score over time, MITRE, top rules, timeline, SLA, campaign, blast radius', async () => {
  const page = await signedInPage(1280);
  await page.goto(`${c.url}/console/incidents/${WIDE_ID.id}`);
  const chart = page.locator('svg.risk-chart');
  await expect(chart.locator('circle.dot').count()).resolves.toBe(3);
  await expect(chart.locator('desc').textContent()).resolves.toBe('Risk score 76 → 82 → 93');
  const inv = page.locator('#investigation');
  const mitre = (WIDE_ID as Record<string, unknown>).mitre as { tactics: { id: string; name: string }[] };
  await expect(inv.locator('.mitre .tag').first().innerText()).resolves.toBe(`${mitre.tactics[0]!.id} ${mitre.tactics[0]!.name}`);
  const rules = (WIDE_ID as Record<string, unknown>).rules as { name: string; count: number }[];
  const top = [...rules].sort((a, b) => b.count - a.count)[0]!;
  await expect(inv.locator('table.rules tbody tr').first().innerText()).resolves.toContain(top.name);
  await expect(inv.innerText()).resolves.toMatch(/Campaign\s+CMP-8763[\s\S]*SLA\s+ON_TRACK: 53 % of 480 min used/);
  await expect(inv.innerText()).resolves.toContain('Blast radius');
  // The history reads as sentences.
  await expect(page.locator('.timeline .sentence', { hasText: 'Risk score 82 → 93' }).count()).resolves.toBe(1);
  await page.context().close();
});
