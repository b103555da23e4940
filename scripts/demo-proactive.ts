// `npm run demo -- --proactive`: the Proactive Case API story, end to end on the real fleet against the
// built-in Proactive simulator. Critical incidents become cases with the enriched body; a risk
// escalation to P1 is pushed at once; a second change inside the cadence window is skipped; an analyst
// resolves the case in the simulator; the next sync cycle closes the incident with its history row.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startProactiveSimulator } from '@rhx/testing';
import { printWhereToLook, root, startDemoFleet } from './demo-fleet.js';

const fixturesDir = join(root, '..', 'shared', 'fixtures', 'incidents');
const SYNC_SECONDS = 5;
const sim = await startProactiveSimulator({ appId: 'rhx-demo', secret: 'demo-proactive-secret', serviceIdentifiers: ['CI0012345'], latencyMs: 20 });
const gateLines: string[] = [];
const fleet = await startDemoFleet(
  {
    LOG_LEVEL: 'info',
    TICKET_INTEGRATION: 'proactive',
    PROACTIVE_SNOW_BASE_URL: sim.url, PROACTIVE_SNOW_APP_ID: 'rhx-demo', PROACTIVE_SNOW_SECRET: 'demo-proactive-secret',
    PROACTIVE_SNOW_SERVICE_IDENTIFIER: 'CI0012345', SNOW_ENABLED: 'true',
    AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_MIN_SEVERITY: 'CRITICAL', AUTO_PUSH_TARGETS: 'servicenow',
    SYNC_INTERVAL_SECONDS: String(SYNC_SECONDS),
  },
  {
    // The operators' grep lines (CONTRACT §6), as the fleet logged them.
    onLog: (line) => {
      if (typeof line.msg === 'string' && line.msg.includes('cadence gate:')) gateLines.push(line.msg);
      if (typeof line.level === 'number' && line.level >= 50) console.error(line.msg, line.err ?? '');
    },
    onStop: () => sim.close(),
  },
);
const { api, until, stop } = fleet;
const step = (text: string) => console.log(`\n── ${text}`);
const gate = async (since: number) => {
  await new Promise((r) => setTimeout(r, 300));
  for (const l of gateLines.slice(since)) console.log(`   log: ${l}`);
  return gateLines.length;
};
const caseOf = async (id: string) => ((await api('GET', `/v1/incidents/${id}`)).json.tickets as { externalId: string; url: string }[])[0];

try {
step('1. The sample incidents arrive; auto-push (CRITICAL → servicenow) opens Proactive cases');
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.json')).sort();
const incidents = fixtures.map((f) => JSON.parse(readFileSync(join(fixturesDir, f), 'utf8')) as { id: string; risk: { score: number } });
for (const f of fixtures) await api('POST', '/v1/incidents', readFileSync(join(fixturesDir, f), 'utf8'));
const critical = incidents.filter((i) => i.risk.score >= 85);
await until(async () => (await Promise.all(critical.map((i) => caseOf(i.id)))).every(Boolean), 60_000);
let seen = await gate(0);
for (const i of incidents) {
  const c = sim.casesFor(i.id)[0];
  console.log(`   ${i.id.padEnd(22)} risk ${String(i.risk.score).padStart(3)}  ${c ? `case ${c.caseNumber} priority ${c.priority}, description ${c.description.length} chars` : 'no case (below CRITICAL)'}`);
}
const sample = sim.casesFor(critical[0]!.id)[0]!;
console.log(`\n   The first lines of ${sample.caseNumber}'s description:\n${sample.description.split('\n').slice(0, 14).map((l) => `   │ ${l}`).join('\n')}\n   │ …`);
const headings = sample.description.split('\n').filter((l, n, all) => /^=+$/.test(all[n + 1] ?? '') && l.trim() !== '');
console.log(`   Sections: ${headings.join(' · ')}`);

step('2. An analyst opens a case for a HIGH incident by hand (the create is the first push)');
const high = incidents.find((i) => i.risk.score >= 70 && i.risk.score < 85)!;
const push = await api('POST', `/v1/incidents/${high.id}/tickets`, { target: 'servicenow' });
await until(async () => Boolean(await caseOf(high.id)), 30_000);
const highCase = (await caseOf(high.id))!;
console.log(`   POST /v1/incidents/${high.id}/tickets → ${push.status}; case ${highCase.externalId} priority ${sim.casesFor(high.id)[0]!.priority}`);
seen = await gate(seen);

step('3. The risk rises to 93 (P1): the cadence gate pushes an update at once');
const newRule = {
  name: 'LSASS memory access by an unsigned binary', severity: 'critical', count: 4,
  firstSeenAt: '2026-11-27T09:58:00Z', lastSeenAt: '2026-11-27T10:03:00Z',
  sampleEvent: { time: '2026-11-27T10:03:00Z', host: 'SRV-DC-01', user: 'svc_backup', eventId: '10', detail: 'procdump64.exe opened lsass.exe' },
};
const escalation = await api('POST', `/v1/incidents/${high.id}/risk`, { score: 93, previousScore: high.risk.score, reason: 'credential dumping on a domain controller', newRule });
console.log(`   POST /v1/incidents/${high.id}/risk {score: 93} → ${escalation.status} ${JSON.stringify(escalation.json.tickets)}`);
await until(async () => sim.updatesFor(highCase.externalId).length === 1, 30_000);
seen = await gate(seen);
const update = sim.updatesFor(highCase.externalId)[0]!;
console.log(`   The case now has 1 update (priority → ${update.priority}); its work note:\n${update.workNote.split('\n').slice(0, 16).map((l) => `   │ ${l}`).join('\n')}`);

step('4. Ten minutes later the risk moves to 80 (HIGH): inside the 24 h window, skipped');
const second = await api('POST', `/v1/incidents/${high.id}/risk`, { score: 80, reason: 'host isolated' });
console.log(`   POST /v1/incidents/${high.id}/risk {score: 80} → ${second.status} ${JSON.stringify(second.json.tickets)}`);
seen = await gate(seen);
console.log(`   Updates on ${highCase.externalId}: ${sim.updatesFor(highCase.externalId).length}`);

step(`5. The analyst resolves ${highCase.externalId} in the provider's console; the next sync cycle (every ${SYNC_SECONDS} s) closes the incident`);
sim.setStatus(highCase.externalId, 'Resolved', 'Credentials rotated, host rebuilt');
const started = Date.now();
await until(async () => (await api('GET', `/v1/incidents/${high.id}`)).json.analystStatus === 'CLOSED', 60_000);
const view = (await api('GET', `/v1/incidents/${high.id}`)).json;
console.log(`   after ${((Date.now() - started) / 1000).toFixed(1)} s: analystStatus ${view.analystStatus}, snowTicketState ${view.snowTicketState}, snowLastPriority ${view.snowLastPriority}`);
const history = (await api('GET', `/v1/incidents/${high.id}/history?limit=200`)).json.items as { action: string; source: string; message: string; oldValue: unknown; newValue: unknown; at: string }[];
console.log(`\n   History of ${high.id}:`);
for (const h of history) console.log(`   ${h.at.slice(11, 19)}  ${h.action.padEnd(16)} ${h.source.padEnd(20)} ${h.message ?? ''}${h.action === 'EXTERNAL_SYNC' ? `  ${JSON.stringify(h.oldValue)} → ${JSON.stringify(h.newValue)}` : ''}`);

} catch (err) {
  console.error('the demo failed:', err);
  await stop(1);
}
console.log(`\nProactive simulator: ${sim.cases().length} cases, ${sim.cases().reduce((n, c) => n + sim.updatesFor(c.caseNumber).length, 0)} updates`);
printWhereToLook(fleet);
if (process.argv.includes('--exit')) await stop(0);
console.log('the fleet keeps running for the console and Bull Board; Ctrl-C stops it');
