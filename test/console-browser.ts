import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.js';

/** Debian's Chromium (`.ci/run` installs it when missing); a test tool's own browser download is never used. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('the chromium binary is not on the PATH: apt-get install -y --no-install-recommends chromium (.ci/run does)');
  }
}

export const OPERATOR = { user: 'console-admin', password: 'console-pass-0123' };

export interface ConsoleHarness {
  h: Harness;
  /** The API's base URL (`http://127.0.0.1:<port>`): the console is at `${url}/console`. */
  url: string;
  browser: Browser;
  /** A fresh browser context (its own cookies) with one page. */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  /** Signs in through the sign-in form and waits for the page it leads to. */
  signIn(page: Page, credentials?: { user: string; password: string }): Promise<void>;
  close(): Promise<void>;
}

/** The test harness's API listening on a loopback port, and a headless Chromium to drive its console. */
export async function startConsoleHarness(env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const h = await startHarness({ CONSOLE_USER: OPERATOR.user, CONSOLE_PASSWORD: OPERATOR.password, ...env });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const contexts: BrowserContext[] = [];
  return {
    h,
    url,
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1200, height: 860 } });
      contexts.push(context);
      return { context, page: await context.newPage() };
    },
    async signIn(page, credentials = OPERATOR) {
      await page.goto(`${url}/console/sign-in`);
      await page.getByLabel('User name').fill(credentials.user);
      await page.getByLabel('Password').fill(credentials.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => !u.pathname.endsWith('/sign-in'));
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await h.close();
    },
  };
}
