import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '@rhx/config';
import { AdapterProvider, adapterOptionsFrom } from '@rhx/push';
import { uniqueName } from '@rhx/testing';
import { createMetrics } from '../apps/api/src/metrics.js';
import { buildServer } from '../apps/api/src/server.js';
import { startHarness, type Harness } from './harness.js';

// Failed sign-ins on the console and on Bull Board's Basic auth, counted per account and per client in
// the real Redis. Each API here gets its own key prefix (its own counters) and a small delay schedule:
// no delay for the first 2 failures, then 20 ms doubling, capped at 100 ms. Delays are read from what
// the server reports (`Server-Timing: sign-in-delay;dur=<ms>`), never from the clock.
const CONSOLE = { user: 'console-admin', password: 'console-pass-0123' };
const BOARD = { user: 'operator', password: 'board-pass-123' };
const SCHEDULE = { freeFailures: 2, firstDelayMs: 20, maxDelayMs: 100, windowMs: 60_000 };
const CAP = SCHEDULE.maxDelayMs;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CONSOLE_USER: CONSOLE.user, CONSOLE_PASSWORD: CONSOLE.password });
});
afterAll(async () => h?.close());

const apps: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

/** An API over the harness's services, with its own counters and TRUST_PROXY as given (unset: off). */
async function api(env: { TRUST_PROXY?: string } = {}): Promise<FastifyInstance> {
  const config = { ...h.config, TRUST_PROXY: parseConfig({ NODE_ENV: 'test', ...env }).TRUST_PROXY, QUEUE_PREFIX: uniqueName('signin') };
  const deps = {
    config, prisma: h.prisma, incidents: h.incidents, redis: h.redis, queues: h.queues, integrations: h.integrations,
    metrics: createMetrics(h.queues), adapters: new AdapterProvider(h.integrations, adapterOptionsFrom(config)),
  };
  const app = await buildServer(deps, h.logger, { signIn: SCHEDULE });
  apps.push(app);
  return app;
}

/** The delay the server says it applied before answering; undefined when it reports none. */
function reportedDelay(headers: Record<string, unknown>): number | undefined {
  const match = /(?:^|,\s*)sign-in-delay;dur=(\d+)/.exec(String(headers['server-timing'] ?? ''));
  return match ? Number(match[1]) : undefined;
}

interface Answer {
  status: number;
  delayMs: number | undefined;
  location?: string;
}

/** One console sign-in through the form (its session cookie and CSRF token first), from `from` (X-Forwarded-For). */
async function consoleSignIn(app: FastifyInstance, credentials: { user: string; password: string }, from?: string): Promise<Answer> {
  const forwarded = from ? { 'x-forwarded-for': from } : {};
  const form = await app.inject({ method: 'GET', url: '/console/sign-in', headers: forwarded });
  const cookie = form.cookies.find((c) => c.name === 'rhx_session')!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const res = await app.inject({
    method: 'POST',
    url: '/console/sign-in',
    headers: { ...forwarded, cookie: `rhx_session=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, next: '/console/incidents', ...credentials }).toString(),
  });
  return { status: res.statusCode, delayMs: reportedDelay(res.headers), ...(res.headers.location ? { location: String(res.headers.location) } : {}) };
}

/** One request to Bull Board's API with HTTP Basic credentials. */
async function boardRequest(app: FastifyInstance, credentials: { user: string; password: string }, from?: string): Promise<Answer> {
  const basic = Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64');
  const res = await app.inject({
    method: 'GET',
    url: '/admin/queues/api/queues',
    headers: { authorization: `Basic ${basic}`, ...(from ? { 'x-forwarded-for': from } : {}) },
  });
  return { status: res.statusCode, delayMs: reportedDelay(res.headers) };
}

const wrong = (user: string) => ({ user, password: 'not-the-password' });
const signedIn = { status: 303, location: '/console/incidents' };

describe('console sign-in behind TRUST_PROXY=1', () => {
  test('20 wrong passwords from one address: never 429, the delay grows to the cap and stops there', async () => {
    const app = await api({ TRUST_PROXY: '1' });
    const answers: Answer[] = [];
    const started = Date.now();
    for (let i = 0; i < 20; i++) answers.push(await consoleSignIn(app, wrong(CONSOLE.user), '203.0.113.7'));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(401));
    expect(answers.map((a) => a.delayMs)).toEqual([0, 0, 20, 40, 80, ...Array(15).fill(CAP)]);
    // The reported waits were really waited (a lower bound only: 1640 ms reported).
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    // The log names the forwarded client, not the proxy, with the counts behind the wait.
    const refused = h.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'console sign-in refused' && l.ip === '203.0.113.7');
    expect(refused.at(-1)).toMatchObject({ delayMs: CAP, accountFailures: 19, clientFailures: 19 });
  });

  test('wrong passwords from one address slow another address only by the account’s delay; the right password still signs in', async () => {
    const app = await api({ TRUST_PROXY: '1' });
    for (let i = 0; i < 20; i++) expect((await consoleSignIn(app, wrong(CONSOLE.user), '203.0.113.7')).status).toBe(401);
    // Another client, another account: nothing the guesser did slows it.
    expect(await consoleSignIn(app, BOARD, '198.51.100.20')).toMatchObject({ ...signedIn, delayMs: 0 });
    // The account guessed at: the right password signs in from anywhere, after at most the capped delay.
    expect(await consoleSignIn(app, CONSOLE, '198.51.100.21')).toMatchObject({ ...signedIn, delayMs: CAP });
    // Even from the guesser's own address.
    expect(await consoleSignIn(app, CONSOLE, '203.0.113.7')).toMatchObject({ ...signedIn, delayMs: CAP });
  });

  test('guesses spread over many addresses grow the account’s delay; each address alone has failed once', async () => {
    const app = await api({ TRUST_PROXY: '1' });
    const delays: (number | undefined)[] = [];
    for (let i = 1; i <= 8; i++) delays.push((await consoleSignIn(app, wrong('Console-Admin '), `192.0.2.${i}`)).delayMs);
    expect(delays).toEqual([0, 0, 20, 40, 80, CAP, CAP, CAP]);
    // A fresh address with the account's own (differently typed) name waits as long; another account does not.
    expect((await consoleSignIn(app, wrong(CONSOLE.user), '192.0.2.100')).delayMs).toBe(CAP);
    expect((await consoleSignIn(app, wrong('someone-else'), '192.0.2.101')).delayMs).toBe(0);
  });

  test('many user names from one address: the address’s delay grows; a right sign-in from it clears the address only', async () => {
    const app = await api({ TRUST_PROXY: '1' });
    const delays: (number | undefined)[] = [];
    for (let i = 1; i <= 6; i++) delays.push((await consoleSignIn(app, wrong(`user-${i}`), '203.0.113.50')).delayMs);
    expect(delays).toEqual([0, 0, 20, 40, 80, CAP]);
    expect(await consoleSignIn(app, BOARD, '203.0.113.50')).toMatchObject({ ...signedIn, delayMs: CAP });
    expect((await consoleSignIn(app, wrong('user-7'), '203.0.113.50')).delayMs).toBe(0);
  });
});

describe('console sign-in without TRUST_PROXY', () => {
  test('X-Forwarded-For is ignored: every request counts against the connection’s own address', async () => {
    const app = await api();
    for (let i = 1; i <= 4; i++) await consoleSignIn(app, wrong(`guess-${i}`), `203.0.113.${i}`);
    // A new forwarded address and a new user name: still the same client, already 4 failures behind it.
    expect((await consoleSignIn(app, wrong('guess-5'), '198.51.100.99')).delayMs).toBe(80);
    expect(await consoleSignIn(app, CONSOLE, '198.51.100.98')).toMatchObject({ ...signedIn, delayMs: CAP });
  });
});

describe('Bull Board’s Basic auth counts with the console', () => {
  test('wrong Basic credentials grow the console’s delay for that account and that address, and are never 429', async () => {
    const app = await api({ TRUST_PROXY: '1' });
    const answers: Answer[] = [];
    for (let i = 1; i <= 6; i++) answers.push(await boardRequest(app, wrong(BOARD.user), `192.0.2.${i}`));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(401));
    expect(answers.map((a) => a.delayMs)).toEqual([0, 0, 20, 40, 80, CAP]);
    expect(await consoleSignIn(app, BOARD, '198.51.100.7')).toMatchObject({ ...signedIn, delayMs: CAP });
    expect((await consoleSignIn(app, wrong('nobody'), '192.0.2.1')).delayMs).toBe(0);
    for (let i = 0; i < 4; i++) await boardRequest(app, wrong('nobody'), '192.0.2.200');
    expect((await consoleSignIn(app, wrong('nobody-else'), '192.0.2.200')).delayMs).toBe(80);
  });

  test('wrong console passwords slow Bull Board for that account; the right credentials still open it', async () => {
    const app = await api({ TRUST_PROXY: '1' });
    for (let i = 1; i <= 5; i++) await consoleSignIn(app, wrong(BOARD.user), `192.0.2.${i}`);
    expect(await boardRequest(app, BOARD, '198.51.100.30')).toEqual({ status: 200, delayMs: CAP });
    expect(await boardRequest(app, wrong(BOARD.user), '198.51.100.31')).toEqual({ status: 401, delayMs: CAP });
  });

  test('a request without credentials is asked for them at once and counts for nothing', async () => {
    const app = await api({ TRUST_PROXY: '1' });
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { 'x-forwarded-for': '192.0.2.77' } });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="Bull Board"');
    }
    expect(await boardRequest(app, BOARD, '192.0.2.77')).toEqual({ status: 200, delayMs: 0 });
  });
});

describe('TRUST_PROXY with the proxies’ addresses', () => {
  test('a listed proxy’s X-Forwarded-For names the client', async () => {
    // light-my-request's connection comes from 127.0.0.1: the listed proxy.
    const app = await api({ TRUST_PROXY: '127.0.0.1/32' });
    for (let i = 0; i < 4; i++) await consoleSignIn(app, wrong(`name-${i}`), '203.0.113.9');
    expect((await consoleSignIn(app, wrong('name-x'), '203.0.113.9')).delayMs).toBe(80);
    expect((await consoleSignIn(app, wrong('name-y'), '203.0.113.10')).delayMs).toBe(0);
  });

  test('an address not listed is not trusted to name the client', async () => {
    const app = await api({ TRUST_PROXY: '10.0.0.0/8' });
    for (let i = 0; i < 4; i++) await consoleSignIn(app, wrong(`name-${i}`), `203.0.113.${i}`);
    expect((await consoleSignIn(app, wrong('name-x'), '203.0.113.99')).delayMs).toBe(80);
  });
});
