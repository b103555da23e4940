import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DeliveryRepository, createPushDeps, pushDelivery, requestManualPush } from '@rhx/push';
import { startJiraSimulator, startServiceNowSimulator, type JiraSimulator, type ServiceNowSimulator } from '@rhx/testing';
import { QUEUE_NAMES, jobIds } from '@rhx/queue';
import { auth, fixtureNames, readFixture, readRaw, startHarness, type Harness, apiCaller } from './harness.js';

const JIRA_TOKEN = 'jira-secret-token-7f3a9c';
const SNOW_PASSWORD = 'snow-secret-password-2b81';
const GROUP_SYS_ID = 'a'.repeat(32);

let h: Harness;
let jira: JiraSimulator;
let snow: ServiceNowSimulator;

const { call, responses } = apiCaller(() => h);

const ticketsOf = async (id: string) => (await call('GET', `/v1/incidents/${id}`)).json().tickets as { system: string; externalId: string; url: string }[];

beforeAll(async () => {
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bot@acme.example', apiToken: JIRA_TOKEN });
  snow = await startServiceNowSimulator({ username: 'rhx.bot', password: SNOW_PASSWORD, groups: { 'SOC L2': GROUP_SYS_ID } });
  h = await startHarness({ RHYTHMX_BASE_URL: 'https://rhythmx.example' });
  h.startIngestWorker();
  h.startPushWorker();
});
afterAll(async () => {
  await h.close();
  await jira.close();
  await snow.close();
});

describe('integration settings', () => {
  test('PUT stores settings, answers without secrets, and status shows configured and enabled', async () => {
    const j = await call('PUT', '/v1/integrations/jira', { enabled: true, baseUrl: jira.url, deployment: 'cloud', email: 'bot@acme.example', apiToken: JIRA_TOKEN, projectKey: 'SEC' });
    expect(j.statusCode).toBe(200);
    expect(j.json()).toMatchObject({ system: 'jira', configured: true, enabled: true, secretsSet: ['apiToken'], settings: { projectKey: 'SEC' } });
    const s = await call('PUT', '/v1/integrations/servicenow', { enabled: true, instanceUrl: snow.url, username: 'rhx.bot', password: SNOW_PASSWORD, assignmentGroup: 'SOC L2' });
    expect(s.statusCode).toBe(200);
    const list = (await call('GET', '/v1/integrations')).json();
    expect(list).toEqual([
      { system: 'jira', configured: true, enabled: true, lastTest: null, health: { ok: true, message: null, since: null } },
      { system: 'servicenow', configured: true, enabled: true, lastTest: null, health: { ok: true, message: null, since: null } },
    ]);
    const stored = await h.prisma.integrationSettings.findMany();
    expect(JSON.stringify(stored)).not.toContain(JIRA_TOKEN);
    expect(JSON.stringify(stored)).not.toContain(SNOW_PASSWORD);
  });

  test('an enabled system with missing settings is refused naming the fields', async () => {
    const res = await call('PUT', '/v1/integrations/jira', { enabled: true, projectKey: 'sec lower', baseUrl: 'not a url' });
    expect(res.statusCode).toBe(400);
    // A new baseUrl also needs the token again (the identity rule), so all three are named at once.
    expect(res.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['apiToken', 'baseUrl', 'projectKey']);
    expect((await call('GET', '/v1/integrations')).json()[0]).toMatchObject({ configured: true, enabled: true });
  });

  test('test connection reports success, the remote’s reason on failure, and records lastTest', async () => {
    const ok = (await call('POST', '/v1/integrations/jira/test')).json();
    expect(ok).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
    expect((await call('POST', '/v1/integrations/servicenow/test')).json().ok).toBe(true);
    await call('PUT', '/v1/integrations/jira', { projectKey: 'NOPE' });
    const bad = (await call('POST', '/v1/integrations/jira/test')).json();
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/project NOPE not found or not visible/);
    const status = (await call('GET', '/v1/integrations')).json()[0];
    expect(status.lastTest).toMatchObject({ ok: false, message: bad.message, at: expect.any(String) });
    await call('PUT', '/v1/integrations/jira', { projectKey: 'SEC' });
  });
});

describe('auto-push of the fixtures to both systems', () => {
  const critical = fixtureNames().filter((n) => (readFixture(n).risk as { score: number }).score >= 85);

  test('the four critical fixtures make exactly eight tickets with the mapped priorities', async () => {
    expect(critical).toHaveLength(4);
    await call('PUT', '/v1/auto-push', { enabled: true, minSeverity: 'CRITICAL', targets: ['jira', 'servicenow'] });
    for (const name of fixtureNames()) expect((await call('POST', '/v1/incidents', JSON.parse(readRaw(name)))).statusCode).toBe(202);
    for (const name of critical) {
      const id = readFixture(name).id;
      const tickets = await h.eventually(async () => {
        const t = await ticketsOf(id);
        return t.length === 2 ? t : undefined;
      }, 30_000);
      const jiraRef = tickets.find((t) => t.system === 'jira')!;
      expect(jiraRef.url).toBe(`${jira.url}/browse/${jiraRef.externalId}`);
      const snowRef = tickets.find((t) => t.system === 'servicenow')!;
      const record = snow.incidents().find((i) => i.number === snowRef.externalId)!;
      expect(snowRef.url).toBe(`${snow.url}/nav_to.do?uri=incident.do?sys_id=${record.sys_id}`);
      expect(record.correlation_id).toBe(`rhythmx:${id}`);
    }
    expect(jira.issues()).toHaveLength(4);
    expect(snow.incidents()).toHaveLength(4);
    expect(jira.issues().map((i) => (i.fields.priority as { name: string }).name)).toEqual(['Highest', 'Highest', 'Highest', 'Highest']);
    expect(snow.incidents().map((i) => [i.impact, i.urgency, i.priority])).toEqual(Array(4).fill(['1', '1', '1']));
    expect(snow.incidents().every((i) => i.assignment_group === GROUP_SYS_ID)).toBe(true);
    const history = (await call('GET', `/v1/incidents/${readFixture(critical[0]!).id}/history?limit=200`)).json().items;
    expect(history.filter((r: { action: string }) => r.action === 'TICKET_CREATED')).toHaveLength(2);
  });

  test('incidents below the threshold get no delivery', async () => {
    for (const name of fixtureNames().filter((n) => !critical.includes(n))) {
      const view = (await call('GET', `/v1/incidents/${readFixture(name).id}`)).json();
      expect(view.deliveries).toEqual([]);
      expect(view.tickets).toEqual([]);
    }
  });
});

describe('preview and manual push', () => {
  test('the preview body is byte for byte the body the push sends; a second push is 409 with the reference', async () => {
    const id = readFixture('medium-recon.json').id;
    const preview = (await call('GET', `/v1/incidents/${id}/ticket-preview?target=servicenow`)).json();
    expect(preview).toMatchObject({ target: 'servicenow', priority: expect.stringMatching(/^3/), summary: expect.stringMatching(/^\[RhythmX\] MEDIUM risk/) });
    const before = snow.requests().length;
    const push = await call('POST', `/v1/incidents/${id}/tickets`, { target: 'servicenow' });
    expect(push.statusCode).toBe(202);
    expect(push.json()).toEqual({ deliveryId: expect.any(String) });
    const tickets = await h.eventually(async () => {
      const t = await ticketsOf(id);
      return t.length === 1 ? t : undefined;
    });
    const create = snow.requests().slice(before).find((r) => r.method === 'POST' && r.path.endsWith('/api/now/table/incident'))!;
    expect(create.body).toBe(JSON.stringify(preview.body));
    expect(snow.incidents().find((i) => i.number === tickets[0]!.externalId)).toMatchObject({ impact: '2', urgency: '2', priority: '3' });
    const again = await call('POST', `/v1/incidents/${id}/tickets`, { target: 'servicenow' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'TICKET_EXISTS', details: { system: 'servicenow', externalId: tickets[0]!.externalId, url: tickets[0]!.url } });
  });

  test('Jira preview is ADF and the created issue carries the dedup labels', async () => {
    const id = readFixture('high-lateral-movement.json').id;
    const preview = (await call('GET', `/v1/incidents/${id}/ticket-preview?target=jira`)).json();
    expect(preview.body.fields).toMatchObject({ project: { key: 'SEC' }, priority: { name: 'High' }, labels: ['rhythmx', `rhythmx-${id}`], description: { type: 'doc', version: 1 } });
    const before = jira.requests().length;
    expect((await call('POST', `/v1/incidents/${id}/tickets`, { target: 'jira' })).statusCode).toBe(202);
    await h.eventually(async () => (await ticketsOf(id)).length === 1);
    const create = jira.requests().slice(before).find((r) => r.method === 'POST' && r.path.endsWith('/rest/api/3/issue'))!;
    expect(create.body).toBe(JSON.stringify(preview.body));
  });

  test('bad requests: unknown incident 404, unknown target 400, disabled target 409', async () => {
    expect((await call('POST', '/v1/incidents/NOPE/tickets', { target: 'jira' })).statusCode).toBe(404);
    const badTarget = await call('POST', `/v1/incidents/${readFixture('low-minimal.json').id}/tickets`, { target: 'email' });
    expect(badTarget.statusCode).toBe(400);
    expect(badTarget.json().error.details[0].path).toBe('target');
    expect((await call('GET', `/v1/incidents/${readFixture('low-minimal.json').id}/ticket-preview?target=x`)).statusCode).toBe(400);
    await call('PUT', '/v1/integrations/servicenow', { enabled: false });
    const disabled = await call('POST', `/v1/incidents/${readFixture('low-minimal.json').id}/tickets`, { target: 'servicenow' });
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json().error.code).toBe('TARGET_DISABLED');
    await call('PUT', '/v1/integrations/servicenow', { enabled: true });
  });
});

describe('the push worker', () => {
  const deps = () => createPushDeps(h.prisma, h.integrations, { ...h.config, HTTP_TIMEOUT_MS: 2000 }, h.logger, { settingsTtlMs: 0 });
  async function delivery(incidentName: string, idSuffix: string, system: 'jira' | 'servicenow') {
    const incident = { ...readFixture(incidentName), id: `${readFixture(incidentName).id}-${idSuffix}` };
    expect((await call('POST', '/v1/incidents', incident)).statusCode).toBe(202);
    await h.eventually(async () => (await call('GET', `/v1/incidents/${incident.id}`)).json().status === 'ingested');
    return { incident, deliveryId: await h.prisma.delivery.findFirst({ where: { incidentId: incident.id, system } }).then((d) => d?.id) };
  }

  test('a disabled target is skipped with a history row saying so', async () => {
    const incident = { ...readFixture('low-minimal.json'), id: 'SKIP-1' };
    await call('POST', '/v1/incidents', incident);
    await h.eventually(async () => (await call('GET', '/v1/incidents/SKIP-1')).json().status === 'ingested');
    await h.prisma.delivery.create({ data: { incidentId: 'SKIP-1', system: 'servicenow', trigger: 'manual' } });
    const d = await h.prisma.delivery.findFirstOrThrow({ where: { incidentId: 'SKIP-1' } });
    await call('PUT', '/v1/integrations/servicenow', { enabled: false });
    expect(await pushDelivery(deps(), { deliveryId: d.id, incidentId: 'SKIP-1', system: 'servicenow' })).toEqual({ kind: 'skip', reason: 'not-ready' });
    await call('PUT', '/v1/integrations/servicenow', { enabled: true });
    const history = (await call('GET', '/v1/incidents/SKIP-1/history?limit=200')).json().items;
    expect(history.at(-1)).toMatchObject({ action: 'TICKET_SKIPPED', message: 'servicenow is disabled; ticket not created' });
    expect((await h.prisma.delivery.findUniqueOrThrow({ where: { id: d.id } })).status).toBe('SKIPPED');
  });

  test('a permanent error is recorded on the delivery with the remote’s message', async () => {
    jira.faults.next(1, { status: 400, body: { errorMessages: [], errors: { components: 'Component is required' } }, method: 'POST', path: '/issue' });
    const { incident, deliveryId } = await delivery('critical-exfiltration.json', 'F1', 'jira');
    const d = await h.eventually(async () => {
      const row = await h.prisma.delivery.findUnique({ where: { id: deliveryId! } });
      return row?.status === 'FAILED' ? row : undefined;
    });
    expect(d.lastErrorCode).toBe('INVALID_REQUEST');
    expect(d.lastError).toContain('Component is required');
    const view = (await call('GET', `/v1/incidents/${incident.id}`)).json();
    expect(view.deliveries.find((x: { system: string }) => x.system === 'jira')).toMatchObject({ status: 'FAILED', attempts: 1 });
  });

  test('a create whose answer was lost waits for its retry; pushed again meanwhile, it keeps waiting and is then adopted, not made twice', async () => {
    snow.faults.createThenFail('drop');
    const { incident, deliveryId } = await delivery('critical-credential-access.json', 'LOST', 'servicenow');
    const waiting = await h.eventually(async () => {
      const d = await h.prisma.delivery.findUnique({ where: { id: deliveryId! } });
      return d?.status === 'RETRY_WAIT' ? d : undefined;
    });
    expect(snow.incidents().filter((i) => i.correlation_id === `rhythmx:${incident.id}`)).toHaveLength(1);
    const redrive = await requestManualPush({ deliveries: new DeliveryRepository(h.prisma), queues: h.queues }, incident.id, 'servicenow', { kind: 'console', name: 'alice' });
    expect(redrive).toEqual({ kind: 'queued', deliveryId });
    // The click changes nothing about the wait (it may be an unknown outcome settling before the look-up).
    const after = await h.prisma.delivery.findUniqueOrThrow({ where: { id: deliveryId! } });
    expect(after).toMatchObject({ status: 'RETRY_WAIT', nextAttemptAt: waiting.nextAttemptAt, attempts: waiting.attempts });
    // Its retry comes due (here at once, instead of after RETRY_BASE_DELAY_SECONDS).
    await h.startRetryWorker();
    await h.prisma.delivery.update({ where: { id: deliveryId! }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    await (await h.queues.get(QUEUE_NAMES.ticketRetry).getJob(jobIds.ticketRetry(deliveryId!)))!.promote();
    const tickets = await h.eventually(async () => {
      const t = (await ticketsOf(incident.id)).filter((x) => x.system === 'servicenow');
      return t.length === 1 ? t : undefined;
    });
    expect(snow.incidents().filter((i) => i.correlation_id === `rhythmx:${incident.id}`)).toHaveLength(1);
    expect(tickets[0]!.externalId).toBe(snow.incidents().find((i) => i.correlation_id === `rhythmx:${incident.id}`)!.number);
    const actions = (await call('GET', `/v1/incidents/${incident.id}/history?limit=200`)).json().items.map((r: { action: string }) => r.action);
    expect(actions).toContain('TICKET_ADOPTED');
  });
});

test('no secret appears in any API answer or log line of the run', () => {
  const everything = responses.join('\n') + h.logs.lines.join('');
  for (const secret of [JIRA_TOKEN, SNOW_PASSWORD, Buffer.from(`bot@acme.example:${JIRA_TOKEN}`).toString('base64'), Buffer.from(`rhx.bot:${SNOW_PASSWORD}`).toString('base64')]) {
    expect(everything).not.toContain(secret);
  }
  expect(h.logs.lines.length).toBeGreaterThan(10);
});
