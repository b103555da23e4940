// `npm run demo`: the fleet against built-in simulators of Jira Cloud and ServiceNow, fed with every
// sample incident, then a report of what happened. Keeps running for the console and Bull Board until Ctrl-C
// (`npm run demo -- --exit` stops after the report).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropDatabase } from '@rhx/db';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { startJiraSimulator, startServiceNowSimulator } from '@rhx/testing';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixturesDir = join(root, '..', 'shared', 'fixtures', 'incidents');
const port = Number(process.env.DEMO_PORT ?? 8089);
const base = `http://127.0.0.1:${port}`;
const token = randomBytes(18).toString('base64url');
const board = { user: 'operator', password: randomBytes(9).toString('base64url') };
const consoleUser = { user: 'admin', password: randomBytes(12).toString('base64url') };
const databaseUrl = process.env.DEMO_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/rhythmx_demo';

const jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'demo@rhythmx.example', apiToken: 'demo-jira-token', latencyMs: 20 });
const snow = await startServiceNowSimulator({ username: 'rhx.demo', password: 'demo-snow-password', groups: { 'SOC L2': 'f'.repeat(32) }, latencyMs: 20 });
await dropDatabase(databaseUrl); // a clean slate each run

const env = {
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  DATABASE_URL: databaseUrl,
  QUEUE_PREFIX: `rhx-demo-${randomBytes(3).toString('hex')}`,
  API_PORT: String(port),
  API_TOKEN: token,
  BULL_BOARD_USER: board.user,
  BULL_BOARD_PASSWORD: board.password,
  CONSOLE_USER: consoleUser.user,
  CONSOLE_PASSWORD: consoleUser.password,
  SETTINGS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  RHYTHMX_BASE_URL: 'https://rhythmx.example',
  JIRA_URL: jira.url, JIRA_EMAIL: 'demo@rhythmx.example', JIRA_API_TOKEN: 'demo-jira-token', JIRA_PROJECT_KEY: 'SEC', JIRA_ENABLED: 'true',
  SNOW_INSTANCE: snow.url, SNOW_USERNAME: 'rhx.demo', SNOW_PASSWORD: 'demo-snow-password', SNOW_ASSIGNMENT_GROUP: 'SOC L2', SNOW_ENABLED: 'true',
  AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_MIN_SEVERITY: 'CRITICAL', AUTO_PUSH_TARGETS: 'jira,servicenow',
};
const children: ChildProcess[] = [
  { entry: 'apps/api/src/main.ts', flags: [] as readonly string[], extra: {} },
  { entry: 'apps/worker/src/main.ts', flags: WORKER_NODE_FLAGS, extra: WORKER_ENV },
].map(({ entry, flags, extra }) =>
  spawn(process.execPath, [...flags, '--import', 'tsx', entry], { cwd: root, env: { ...env, ...extra }, stdio: ['ignore', 'inherit', 'inherit'] }),
);
const stop = async (code: number) => {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on('exit', r)))));
  await jira.close();
  await snow.close();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const api = async (method: string, path: string, body?: string) => {
  const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body } : {}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const until = async (check: () => Promise<boolean>, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) if (await check().catch(() => false)) return true;
  return false;
};

if (!(await until(async () => (await fetch(`${base}/readyz`)).ok, 60_000))) {
  console.error('the fleet did not become ready in 60 s');
  await stop(1);
}
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.json')).sort();
const incidents = fixtures.map((f) => JSON.parse(readFileSync(join(fixturesDir, f), 'utf8')) as { id: string; risk: { score: number } });
for (const f of fixtures) {
  const res = await api('POST', '/v1/incidents', readFileSync(join(fixturesDir, f), 'utf8'));
  console.log(`posted ${f} → ${res.status} ${res.json.status}`);
}
const critical = incidents.filter((i) => i.risk.score >= 85);
await until(async () => {
  for (const i of critical) if (((await api('GET', `/v1/incidents/${i.id}`)).json.tickets as unknown[]).length < 2) return false;
  return true;
}, 60_000);

console.log('\nincident               severity  tickets');
for (const i of incidents) {
  const view = (await api('GET', `/v1/incidents/${i.id}`)).json as { severity: string; tickets: { system: string; externalId: string; url: string }[] };
  const tickets = view.tickets.map((t) => {
    const priority = t.system === 'jira'
      ? (jira.issues().find((x) => x.key === t.externalId)?.fields.priority as { name?: string } | undefined)?.name
      : snow.incidents().find((x) => x.number === t.externalId)?.priority;
    return `${t.system} ${t.externalId} (priority ${priority}) ${t.url}`;
  });
  console.log(`${i.id.padEnd(22)} ${view.severity.padEnd(9)} ${tickets.join('\n' + ' '.repeat(33)) || '—'}`);
}
console.log(`\nJira simulator: ${jira.issues().length} issues; ServiceNow simulator: ${snow.incidents().length} incidents`);
console.log(`Console: ${base}/console  (sign in as ${consoleUser.user}, password ${consoleUser.password})`);
console.log(`Bull Board: ${base}/admin/queues  (user ${board.user}, password ${board.password})`);
console.log(`API: ${base}  (Authorization: Bearer ${token})`);
if (process.argv.includes('--exit')) await stop(0);
console.log('the fleet keeps running for the console and Bull Board; Ctrl-C stops it');
