// `npm run demo`: the fleet against built-in simulators of Jira Cloud and ServiceNow, fed with every
// sample incident, then a report of what happened. Keeps running for Bull Board until Ctrl-C
// (`npm run demo -- --exit` stops after the report).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startJiraSimulator, startServiceNowSimulator } from '@rhx/testing';
import { printWhereToLook, root, startDemoFleet } from './demo-fleet.js';

const fixturesDir = join(root, '..', 'shared', 'fixtures', 'incidents');
const jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'demo@rhythmx.example', apiToken: 'demo-jira-token', latencyMs: 20 });
const snow = await startServiceNowSimulator({ username: 'rhx.demo', password: 'demo-snow-password', groups: { 'SOC L2': 'f'.repeat(32) }, latencyMs: 20 });
const fleet = await startDemoFleet(
  {
    JIRA_URL: jira.url, JIRA_EMAIL: 'demo@rhythmx.example', JIRA_API_TOKEN: 'demo-jira-token', JIRA_PROJECT_KEY: 'SEC', JIRA_ENABLED: 'true',
    SNOW_INSTANCE: snow.url, SNOW_USERNAME: 'rhx.demo', SNOW_PASSWORD: 'demo-snow-password', SNOW_ASSIGNMENT_GROUP: 'SOC L2', SNOW_ENABLED: 'true',
    AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_MIN_SEVERITY: 'CRITICAL', AUTO_PUSH_TARGETS: 'jira,servicenow',
  },
  { onStop: async () => { await jira.close(); await snow.close(); } },
);

const { api, until, stop } = fleet;
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
printWhereToLook(fleet);
if (process.argv.includes('--exit')) await stop(0);
console.log('the fleet keeps running for the console and Bull Board; Ctrl-C stops it');
