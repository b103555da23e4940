import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { enqueueRiskChange } from '@rhx/producer';
import { startJiraSimulator, startProactiveSimulator, type JiraSimulator, type ProactiveSimulator } from '@rhx/testing';
import { auth, readFixture, startHarness, type Harness, apiCaller } from './harness.js';

// Risk changes end to end in proactive mode, Jira beside it: the API and the producer path, the cadence
// gate's decisions and log lines, one update per risk change through deliveries, the incident's stamps.
const SECRET = 'proactive-risk-secret-5d1e';
const JIRA_TOKEN = 'jira-risk-token-0c3f8a';

let h: Harness;
let sim: ProactiveSimulator;
let jira: JiraSimulator;

const { call } = apiCaller(() => h);
const incident = async (id: string) => (await call('GET', `/v1/incidents/${id}`)).json();
const history = async (id: string) => (await call('GET', `/v1/incidents/${id}/history?limit=200`)).json().items as { action: string; message: string; newValue: Record<string, unknown> | null }[];
const gateLines = (id: string) => h.logs.lines.flatMap((l) => (JSON.parse(l) as { msg: string }).msg).filter((m) => m.includes('cadence gate') && m.includes(`incident=${id} `));

/** A HIGH incident (score 75) with a case and a Jira issue, both made by a manual push. */
async function ticketedIncident(id: string) {
  const body = { ...readFixture('high-lateral-movement.json'), id, risk: { score: 75 } };
  expect((await call('POST', '/v1/incidents', body)).statusCode).toBe(202);
  await h.eventually(async () => ((await call('GET', `/v1/incidents/${id}`)).statusCode === 200 ? true : undefined));
  for (const target of ['servicenow', 'jira']) expect((await call('POST', `/v1/incidents/${id}/tickets`, { target })).statusCode).toBe(202);
  const view = await h.eventually(async () => {
    const v = await incident(id);
    return v.tickets.length === 2 ? v : undefined;
  }, 30_000);
  const caseNumber = view.tickets.find((t: { system: string }) => t.system === 'servicenow').externalId as string;
  const issueKey = view.tickets.find((t: { system: string }) => t.system === 'jira').externalId as string;
  return { caseNumber, issueKey, comments: () => jira.issues().find((i) => i.key === issueKey)!.comments };
}

/** Deliveries of the incident that carry updates, once every one of them succeeded. */
async function settledUpdates(id: string, count: number) {
  return h.eventually(async () => {
    const updates = (await incident(id)).deliveries.filter((d: { trigger: string }) => d.trigger === 'risk');
    return updates.length === count && updates.every((d: { status: string }) => d.status === 'SUCCEEDED') ? updates : undefined;
  }, 30_000);
}

beforeAll(async () => {
  sim = await startProactiveSimulator({ appId: 'rhx-risk', secret: SECRET, serviceIdentifiers: ['CI0012345'] });
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bot@acme.example', apiToken: JIRA_TOKEN });
  h = await startHarness({
    TICKET_INTEGRATION: 'proactive',
    PROACTIVE_SNOW_BASE_URL: sim.url,
    PROACTIVE_SNOW_APP_ID: 'rhx-risk',
    PROACTIVE_SNOW_SECRET: SECRET,
    PROACTIVE_SNOW_SERVICE_IDENTIFIER: 'CI0012345',
    SNOW_ENABLED: 'true',
    JIRA_ENABLED: 'true',
    JIRA_URL: jira.url,
    JIRA_EMAIL: 'bot@acme.example',
    JIRA_API_TOKEN: JIRA_TOKEN,
    JIRA_PROJECT_KEY: 'SEC',
    RHYTHMX_BASE_URL: 'https://rhythmx.example',
    RETRY_BASE_DELAY_SECONDS: '1',
    RETRY_MAX_DELAY_SECONDS: '2',
  });
  h.startIngestWorker();
  h.startPushWorker();
  await h.startRetryWorker();
});
afterAll(async () => {
  await h.close();
  await jira.close();
  await sim.close();
});

describe('POST /v1/incidents/:id/risk', () => {
  test('an unknown incident is 404, a bad body is 400 naming the fields, and nothing is stored', async () => {
    expect((await call('POST', '/v1/incidents/NOPE-1/risk', { score: 90 })).json()).toMatchObject({ error: { code: 'INCIDENT_NOT_FOUND' } });
    const { id } = readFixture('medium-recon.json');
    await call('POST', '/v1/incidents', readFixture('medium-recon.json'));
    await h.eventually(async () => ((await call('GET', `/v1/incidents/${id}`)).statusCode === 200 ? true : undefined));
    const bad = await call('POST', `/v1/incidents/${id}/risk`, { score: 140, previousScore: 'high', newRule: { name: 'x' } });
    expect(bad.statusCode).toBe(400);
    const text = bad.body;
    for (const field of ['score', 'previousScore', 'newRule.severity']) expect(text).toContain(field);
    expect((await history(id)).some((r) => r.action === 'RISK_CHANGED')).toBe(false);
  });

  test('an incident without a ticket stores the new score and pushes nothing', async () => {
    const { id } = readFixture('medium-recon.json');
    const res = await call('POST', `/v1/incidents/${id}/risk`, { score: 60, reason: 'new detections' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ from: { level: 'MEDIUM' }, to: { score: 60, level: 'MEDIUM' }, tickets: [] });
    expect(await incident(id)).toMatchObject({ risk: { score: 60, previousScore: 52 }, severity: 'MEDIUM' });
    expect((await history(id)).filter((r) => r.action === 'RISK_CHANGED')).toHaveLength(1);
  });
});

describe('the cadence gate on ticketed incidents (24 h window)', () => {
  test('a rise to P1 is pushed at once as one update per ticket; a second change inside the window is skipped', async () => {
    const id = 'RISK-E2E-1';
    const t = await ticketedIncident(id);
    expect(gateLines(id)).toEqual(expect.arrayContaining(['SNOW cadence gate: PUSH incident=RISK-E2E-1 reason=first-push']));
    const newRule = { name: 'Mimikatz sekurlsa::logonpasswords', severity: 'critical', count: 3, firstSeenAt: '2026-11-27T09:58:00Z', lastSeenAt: '2026-11-27T10:01:00Z', sampleEvent: { time: '2026-11-27T10:01:00Z', host: 'SRV-DC-01', user: 'svc_backup', eventId: '4624', detail: 'lsass access' } };
    const escalation = await call('POST', `/v1/incidents/${id}/risk`, { score: 93, previousScore: 75, reason: 'credential dumping on a domain controller', newRule });
    expect(escalation.statusCode).toBe(202);
    expect(escalation.json().tickets).toEqual([
      expect.objectContaining({ system: 'jira', push: true, reason: 'p1-escalation' }),
      expect.objectContaining({ system: 'servicenow', push: true, reason: 'p1-escalation' }),
    ]);
    await settledUpdates(id, 2);
    const updates = sim.updatesFor(t.caseNumber);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ priority: '1' });
    for (const words of ['93', '↑', 'Mimikatz sekurlsa::logonpasswords', 'SRV-DC-01', 'svc_backup', 'https://rhythmx.example/incidents/RISK-E2E-1']) {
      expect(updates[0]!.workNote).toContain(words);
    }
    expect(t.comments()).toHaveLength(1);
    const view = await incident(id);
    expect(view).toMatchObject({ severity: 'CRITICAL', risk: { score: 93, previousScore: 75 }, snowLastPriority: '1' });
    expect(view.lastSnowUpdateAt).toEqual(expect.any(String));

    // Back to HIGH twenty minutes later: inside the window, no update anywhere.
    const fall = await call('POST', `/v1/incidents/${id}/risk`, { score: 78, reason: 'contained' });
    expect(fall.json().tickets.map((x: { push: boolean; reason: string }) => [x.push, x.reason])).toEqual([[false, 'within-cadence'], [false, 'within-cadence']]);
    expect(gateLines(id)).toEqual(expect.arrayContaining([
      'SNOW cadence gate: PUSH incident=RISK-E2E-1 reason=p1-escalation',
      'SNOW cadence gate: SKIP incident=RISK-E2E-1 reason=within-cadence',
    ]));
    expect(sim.updatesFor(t.caseNumber)).toHaveLength(1);
    expect(t.comments()).toHaveLength(1);
    const actions = (await history(id)).map((r) => r.action);
    expect(actions.filter((a) => a === 'RISK_CHANGED')).toHaveLength(2);
    expect(actions.filter((a) => a === 'CADENCE_GATE')).toHaveLength(4);
    expect(actions.filter((a) => a === 'TICKET_UPDATED')).toHaveLength(2);
  });

  test('after the window a level change is pushed, naming the hours; an unchanged level sends nothing', async () => {
    const id = 'RISK-E2E-2';
    const t = await ticketedIncident(id);
    // The last push was 25 hours ago (the create).
    await h.prisma.$executeRaw`UPDATE ticket_refs SET last_push_at = now() - interval '25 hours 10 minutes' WHERE incident_id = ${id}`;
    const same = await call('POST', `/v1/incidents/${id}/risk`, { score: 72 });
    expect(same.json().tickets.map((x: { reason: string }) => x.reason)).toEqual(['level-unchanged', 'level-unchanged']);
    const change = await call('POST', `/v1/incidents/${id}/risk`, { score: 50 });
    expect(change.json().tickets.map((x: { push: boolean; reason: string }) => [x.push, x.reason])).toEqual([[true, 'cadence-elapsed-25h'], [true, 'cadence-elapsed-25h']]);
    await settledUpdates(id, 2);
    expect(sim.updatesFor(t.caseNumber)).toEqual([expect.objectContaining({ priority: '3' })]);
    expect(t.comments()).toHaveLength(1);
    expect(gateLines(id)).toContain('SNOW cadence gate: PUSH incident=RISK-E2E-2 reason=cadence-elapsed-25h');
  });

  test('the producer path applies the same gate, and the same event enqueued twice is one update', async () => {
    const id = 'RISK-E2E-3';
    const t = await ticketedIncident(id);
    for (let i = 0; i < 2; i++) await enqueueRiskChange(h.redis, id, { score: 88, previousScore: 75 }, { prefix: h.config.QUEUE_PREFIX, eventId: 'evt-42' });
    await settledUpdates(id, 2);
    expect(sim.updatesFor(t.caseNumber)).toHaveLength(1);
    expect(t.comments()).toHaveLength(1);
    expect((await history(id)).filter((r) => r.action === 'RISK_CHANGED')).toHaveLength(1);
    await expect(enqueueRiskChange(h.redis, id, { score: -1 })).rejects.toThrow(/score/);
  });

  test('concurrent risk changes of one incident: one escalation update, the rest skipped', async () => {
    const id = 'RISK-E2E-4';
    const t = await ticketedIncident(id);
    const answers = await Promise.all([91, 92, 93, 94, 95].map((score) => call('POST', `/v1/incidents/${id}/risk`, { score })));
    const reasons = answers.flatMap((a) => a.json().tickets.map((x: { system: string; reason: string }) => `${x.system}:${x.reason}`)).sort();
    expect(reasons.filter((r) => r.endsWith('p1-escalation')).sort()).toEqual(['jira:p1-escalation', 'servicenow:p1-escalation']);
    await settledUpdates(id, 2);
    expect(sim.updatesFor(t.caseNumber)).toHaveLength(1);
    expect(t.comments()).toHaveLength(1);
  });
});

describe('an update whose answer was lost', () => {
  test('is sent again with the same marker where nothing can be read back (the Proactive Case API): never dropped', async () => {
    const id = 'RISK-E2E-5';
    const t = await ticketedIncident(id);
    // The provider never answers this update (the connection drops): it may or may not have been added,
    // and the Proactive Case API has no call that reads updates back.
    sim.faults.next(1, { dropConnection: true, method: 'POST', path: /\/updates$/ });
    const answer = await call('POST', `/v1/incidents/${id}/risk`, { score: 96 });
    const deliveryId = answer.json().tickets.find((x: { system: string }) => x.system === 'servicenow').deliveryId as string;
    const done = await h.eventually(async () => {
      const d = (await call('GET', `/v1/deliveries/${deliveryId}`)).json();
      return d.status === 'SUCCEEDED' ? d : undefined;
    }, 30_000);
    expect(done.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['UNKNOWN', 'SUCCEEDED']);
    const updates = sim.updatesFor(t.caseNumber);
    expect(updates).toEqual([expect.objectContaining({ priority: '1' })]);
    // The note carries the delivery's marker, the same on every attempt, for the systems that can look it up.
    expect(JSON.stringify(updates[0])).toContain(`rhythmx-update-${deliveryId}`);
  });
});

describe('a risk change while the ticket is being made', () => {
  test('a rise to P1 that found no ticket yet is pushed as soon as the ticket is recorded', async () => {
    const id = 'RISK-E2E-6';
    const body = { ...readFixture('high-lateral-movement.json'), id, risk: { score: 75 } };
    expect((await call('POST', '/v1/incidents', body)).statusCode).toBe(202);
    await h.eventually(async () => ((await call('GET', `/v1/incidents/${id}`)).statusCode === 200 ? true : undefined));
    // The provider takes 1.5 s to make the case: the escalation lands while the HIGH case is being made.
    sim.faults.next(1, { delayMs: 1500, method: 'POST', path: /\/cases$/ });
    expect((await call('POST', `/v1/incidents/${id}/tickets`, { target: 'servicenow' })).statusCode).toBe(202);
    await h.eventually(async () => (sim.requests().some((r) => r.method === 'POST' && r.path === '/cases' && r.body.includes(id)) ? true : undefined), 10_000);
    const escalation = await call('POST', `/v1/incidents/${id}/risk`, { score: 95 });
    expect(escalation.json().tickets).toEqual([]);
    const view = await h.eventually(async () => {
      const v = await incident(id);
      return v.tickets.length === 1 ? v : undefined;
    }, 30_000);
    const caseNumber = view.tickets[0].externalId as string;
    // Made at HIGH (the case's priority now is whatever the update since set).
    const create = sim.requests().find((r) => r.method === 'POST' && r.path === '/cases' && r.body.includes(id))!;
    expect(JSON.parse(create.body)).toMatchObject({ externalId: id, priority: '2' });
    expect(sim.casesFor(id)).toHaveLength(1);
    await settledUpdates(id, 1);
    expect(sim.updatesFor(caseNumber)).toEqual([expect.objectContaining({ priority: '1' })]);
    expect(gateLines(id)).toContain('SNOW cadence gate: PUSH incident=RISK-E2E-6 reason=p1-escalation');
  });

  test('a ticket the remote closed takes no more updates', async () => {
    const id = 'RISK-E2E-7';
    const t = await ticketedIncident(id);
    await h.prisma.$executeRaw`UPDATE ticket_refs SET open = false WHERE incident_id = ${id}`;
    expect((await call('POST', `/v1/incidents/${id}/risk`, { score: 97 })).json().tickets).toEqual([]);
    expect(sim.updatesFor(t.caseNumber)).toHaveLength(0);
  });
});
