import { randomBytes } from 'node:crypto';
import { startJiraSimulator, startServiceNowSimulator, freePort, type JiraSimulator, type ServiceNowSimulator } from '@rhx/testing';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { run, waitFor, type Run } from './child-processes.js';

// What the failover tests (issue 17) share: remotes that fail 10 % of creates, the fleet as real
// processes (an API and a push+retry worker) on the servers under test, and a count of the tickets made.

const JIRA = { email: 'bot@acme.example', apiToken: 'failover-jira-token' };
const SNOW = { username: 'rhx.bot', password: 'failover-snow-pw' };

/** Both simulators, each failing 10 % of creates with a 503 (the same draws every run: `seed`). */
export async function startFailingRemotes(seed: number): Promise<{ jira: JiraSimulator; snow: ServiceNowSimulator }> {
  const jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], ...JIRA });
  const snow = await startServiceNowSimulator({ ...SNOW, groups: {} });
  for (const [sim, path] of [[jira, '/issue'], [snow, '/table/incident']] as const) {
    sim.faults.randomly(0.1, { method: 'POST', path, status: 503, body: { error: 'transient' } }, seed);
  }
  return { jira, snow };
}

/** The fleet's API and one worker on `servers`, auto-pushing every incident to both remotes, retrying fast. */
export async function startFleetProcesses(
  servers: { DATABASE_URL: string; REDIS_URL: string; QUEUE_PREFIX: string; DATABASE_POOLER?: string },
  remotes: { jira: JiraSimulator; snow: ServiceNowSimulator },
): Promise<{ api: Run; worker: Run; url: string; token: string }> {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const env = {
    NODE_ENV: 'test', ...servers, API_PORT: String(port), API_TOKEN: token,
    SETTINGS_ENCRYPTION_KEY: randomBytes(32).toString('base64'), INTEGRATION_ALLOWED_HOSTS: '127.0.0.1', LOG_LEVEL: 'info',
    JIRA_ENABLED: 'true', JIRA_URL: remotes.jira.url, JIRA_EMAIL: JIRA.email, JIRA_API_TOKEN: JIRA.apiToken, JIRA_PROJECT_KEY: 'SEC',
    SNOW_ENABLED: 'true', SNOW_INSTANCE: remotes.snow.url, SNOW_USERNAME: SNOW.username, SNOW_PASSWORD: SNOW.password,
    AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_TARGETS: 'jira,servicenow', AUTO_PUSH_MIN_SEVERITY: 'LOW',
    RETRY_BASE_DELAY_SECONDS: '1', RETRY_MAX_DELAY_SECONDS: '2', UNKNOWN_OUTCOME_SETTLE_SECONDS: '0', HTTP_TIMEOUT_MS: '5000',
  };
  const api = run('apps/api/src/main.ts', [], env);
  await waitFor(async () => api.stdout().includes('api listening'), 60_000, 'the API');
  const worker = run('apps/worker/src/main.ts', ['--role', 'push,retry'], { ...env, ...WORKER_ENV }, { nodeFlags: WORKER_NODE_FLAGS });
  await waitFor(async () => worker.stdout().includes('worker started'), 60_000, 'the worker');
  return { api, worker, url: `http://127.0.0.1:${port}`, token };
}

/** Incident ids (those starting with `stem`) each remote holds a ticket for, one entry per ticket. */
export function ticketedIds(remotes: { jira: JiraSimulator; snow: ServiceNowSimulator }, stem: string): { jira: string[]; servicenow: string[] } {
  return {
    jira: remotes.jira.issues().flatMap((i) => (i.fields.labels as string[]).filter((l) => l.startsWith(`rhythmx-${stem}`)).map((l) => l.slice('rhythmx-'.length))),
    servicenow: remotes.snow.incidents().map((i) => String(i.correlation_id).replace(/^rhythmx:/, '')).filter((id) => id.startsWith(stem)),
  };
}

/**
 * Waits until every accepted incident has a ticket in both remotes (reading the simulators' stores, which
 * copy every ticket, once per check), then checks none has two. `explain` adds what a failure should show.
 */
export async function expectOneTicketEach(
  remotes: { jira: JiraSimulator; snow: ServiceNowSimulator }, stem: string, accepted: readonly string[], timeoutMs: number, explain: (missing: string[]) => Promise<string> | string,
): Promise<void> {
  const missingNow = () => {
    const ids = ticketedIds(remotes, stem);
    const [inJira, inSnow] = [new Set(ids.jira), new Set(ids.servicenow)];
    return accepted.filter((id) => !inJira.has(id) || !inSnow.has(id));
  };
  await waitFor(async () => (await new Promise((r) => setTimeout(r, 400)), missingNow().length === 0), timeoutMs, 'every accepted incident ticketed in both systems')
    .catch(async (err: unknown) => {
      const missing = missingNow();
      throw new Error(`${String(err)}: ${missing.length} missing (${missing.slice(0, 10).join(', ')}); ${await explain(missing)}`);
    });
  const ids = ticketedIds(remotes, stem);
  for (const system of ['jira', 'servicenow'] as const) {
    const duplicated = ids[system].filter((id, i) => ids[system].indexOf(id) !== i);
    if (duplicated.length > 0) throw new Error(`${system} holds more than one ticket for ${duplicated.join(', ')}`);
  }
}

/**
 * Calls `send(0 … count-1)` at 15 a second while `server` goes away 5 s in and comes back `outageMs` later;
 * resolves once every send and the outage are over, with when the server stopped and started again.
 */
export async function sendThroughOutage(
  server: { stop(): void; start(): void }, count: number, outageMs: number, send: (n: number) => Promise<void>,
): Promise<{ stoppedAt: number; startedAt: number }> {
  const times = { stoppedAt: 0, startedAt: 0 };
  const outage = (async () => {
    await new Promise((r) => setTimeout(r, 5000));
    times.stoppedAt = Date.now();
    server.stop();
    await new Promise((r) => setTimeout(r, outageMs));
    server.start();
    times.startedAt = Date.now();
  })();
  const sends: Promise<void>[] = [];
  for (let n = 0; n < count; n++) {
    sends.push(send(n));
    await new Promise((r) => setTimeout(r, 1000 / 15));
  }
  await Promise.all([outage, ...sends]);
  return times;
}

/** When the first ticket made after `at` was made (either remote). */
export function firstTicketAfter(remotes: { jira: JiraSimulator; snow: ServiceNowSimulator }, at: number): number {
  return Math.min(...[remotes.jira.requests(), remotes.snow.requests()].flat().filter((r) => r.status === 201 && r.at > at).map((r) => r.at));
}
